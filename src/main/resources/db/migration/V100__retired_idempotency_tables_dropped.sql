-- Nothing writes or reads these since ADR 0003 (tickets are counted and SLA clocks started in the creating
-- transaction, which commits once): they only kept one row per ticket created before that, forever.
-- A process of a build before ADR 0003 still writes them: stop those before starting this build (docs/operations.md).
DROP TABLE ticket_counted;
DROP TABLE sla_ticket;
