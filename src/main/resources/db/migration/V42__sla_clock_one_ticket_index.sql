-- A ticket's clocks are found through UNIQUE (ticket_id, metric); the (merchant_id, ticket_id) index only added a
-- write to every clock insert and every flag the SLA monitor sets (setting `warned`/`breached` is never a HOT update:
-- both are in the monitor's partial indexes).
DROP INDEX IF EXISTS sla_clock_by_merchant_ticket_idx;
