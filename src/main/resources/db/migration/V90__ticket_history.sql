-- One row per status change, assignment, unassignment and priority change of a ticket (module tickets), written in the
-- transaction of the change. A source table: analytics recounts tickets from it (and rebuilds from it).
-- kind STATUS: from/to are statuses; ASSIGNED/UNASSIGNED: agent ids (null for none); PRIORITY: priorities.
CREATE TABLE ticket_history
(
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id      UUID        NOT NULL,
    merchant_id    UUID        NOT NULL,
    ticket_version BIGINT      NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    kind           TEXT        NOT NULL CHECK (kind IN ('STATUS', 'ASSIGNED', 'UNASSIGNED', 'PRIORITY')),
    from_value     TEXT,
    to_value       TEXT
);
CREATE INDEX ticket_history_by_ticket_idx ON ticket_history (ticket_id, ticket_version, id);
