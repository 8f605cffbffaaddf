-- What the SLA clocks and escalations did, kept for recounting (analytics) and rebuilds (module sla).
-- A clock's finished cycle, archived when the clock restarts (a reopen); the current cycle is the sla_clock row.
CREATE TABLE sla_clock_cycle
(
    clock_id    UUID        NOT NULL,
    cycle       INT         NOT NULL,
    merchant_id UUID        NOT NULL,
    ticket_id   UUID        NOT NULL,
    metric      TEXT        NOT NULL CHECK (metric IN ('FIRST_RESPONSE', 'RESOLUTION')),
    started_at  TIMESTAMPTZ NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    breached    BOOLEAN     NOT NULL,
    stopped_at  TIMESTAMPTZ,
    PRIMARY KEY (clock_id, cycle)
);
CREATE INDEX sla_clock_cycle_by_ticket_idx ON sla_clock_cycle (ticket_id);

-- Each escalation level that ran (published TicketEscalated), when it ran.
CREATE TABLE sla_escalation_level
(
    escalation_id UUID        NOT NULL,
    level         INT         NOT NULL,
    merchant_id   UUID        NOT NULL,
    ticket_id     UUID        NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (escalation_id, level)
);
CREATE INDEX sla_escalation_level_by_ticket_idx ON sla_escalation_level (ticket_id);
