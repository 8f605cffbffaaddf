-- SLA policies, per-ticket SLA clocks, escalation policies and escalations (module sla).

CREATE TABLE sla_policy
(
    merchant_id      UUID        NOT NULL REFERENCES merchant (id),
    priority         TEXT        NOT NULL CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
    first_response   TEXT        NOT NULL, -- ISO-8601 duration
    resolution       TEXT        NOT NULL,
    warning_percent  INT         NOT NULL CHECK (warning_percent BETWEEN 1 AND 99),
    business_hours   TEXT,                 -- JSON {timeZone, weekly}, null = around the clock
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, priority)
);

-- Tickets whose clocks were started (also when the merchant had no policy): makes starting idempotent.
CREATE TABLE sla_ticket
(
    ticket_id   UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE sla_clock
(
    id                 UUID PRIMARY KEY,
    merchant_id        UUID        NOT NULL,
    ticket_id          UUID        NOT NULL,
    metric             TEXT        NOT NULL CHECK (metric IN ('FIRST_RESPONSE', 'RESOLUTION')),
    cycle              INT         NOT NULL,  -- 1, then +1 on every restart (reopen)
    state              TEXT        NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'STOPPED')),
    target_ms          BIGINT      NOT NULL,  -- in business time when business_hours is set
    warning_percent    INT         NOT NULL,
    business_hours     TEXT,                  -- the policy's calendar when the clock (re)started
    started_at         TIMESTAMPTZ NOT NULL,
    running_since      TIMESTAMPTZ,           -- start of the current running segment
    consumed_ms        BIGINT      NOT NULL,  -- business time used before running_since
    paused_at          TIMESTAMPTZ,
    paused_ms          BIGINT      NOT NULL,  -- wall time spent paused (PENDING), finished pauses
    warn_at            TIMESTAMPTZ,
    due_at             TIMESTAMPTZ NOT NULL,
    warned             BOOLEAN     NOT NULL,
    breached           BOOLEAN     NOT NULL,
    breached_at        TIMESTAMPTZ,
    stopped_at         TIMESTAMPTZ,
    last_change_at     TIMESTAMPTZ NOT NULL,
    version            BIGINT      NOT NULL,
    UNIQUE (ticket_id, metric)
);
CREATE INDEX sla_clock_by_merchant_ticket_idx ON sla_clock (merchant_id, ticket_id);
-- The SLA monitor reads only these two partial indexes: its cost follows the clocks due, not the open tickets.
CREATE INDEX sla_clock_warning_due_idx ON sla_clock (warn_at) WHERE state = 'RUNNING' AND NOT warned;
CREATE INDEX sla_clock_breach_due_idx ON sla_clock (due_at) WHERE state = 'RUNNING' AND NOT breached;

CREATE TABLE escalation_policy
(
    merchant_id UUID PRIMARY KEY REFERENCES merchant (id),
    levels      TEXT        NOT NULL, -- JSON [{after, action, supervisorAgentIds}]
    updated_at  TIMESTAMPTZ NOT NULL
);

-- One escalation per breach episode of a ticket: at most one active per ticket.
CREATE TABLE sla_escalation
(
    id          UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL,
    ticket_id   UUID        NOT NULL,
    breached_at TIMESTAMPTZ NOT NULL,
    next_level  INT         NOT NULL, -- 1-based level to run next
    state       TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'COMPLETED', 'ENDED')),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX sla_escalation_active_idx ON sla_escalation (ticket_id) WHERE state = 'ACTIVE';
CREATE INDEX sla_escalation_by_ticket_idx ON sla_escalation (merchant_id, ticket_id, created_at DESC);

-- Listener deliveries already applied (listener id, event id): a replayed event changes nothing.
CREATE TABLE sla_processed_event
(
    listener_id  TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (listener_id, event_id)
);
