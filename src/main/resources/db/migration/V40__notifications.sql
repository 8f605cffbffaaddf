-- notifications: one row per recipient, type, source event and channel; a replayed event or a re-run job
-- inserts nothing new (unique constraint) and sends nothing twice (state).
CREATE TABLE notification
(
    id              UUID PRIMARY KEY,
    merchant_id     UUID        NOT NULL REFERENCES merchant (id),
    recipient_kind  TEXT        NOT NULL CHECK (recipient_kind IN ('AGENT', 'REQUESTER')),
    recipient       TEXT        NOT NULL, -- the agent's id, or the requester's email (lower case)
    agent_id        UUID,
    email           TEXT,
    type            TEXT        NOT NULL,
    channel         TEXT        NOT NULL CHECK (channel IN ('IN_APP', 'EMAIL', 'WEBHOOK')),
    source_event_id UUID        NOT NULL,
    ticket_id       UUID,
    payload         JSONB       NOT NULL DEFAULT '{}',
    state           TEXT        NOT NULL CHECK (state IN ('PENDING', 'COLLECTED', 'SENT', 'DIGESTED', 'FAILED')),
    digest_id       UUID,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    read_at         TIMESTAMPTZ,
    CONSTRAINT notification_once UNIQUE (merchant_id, recipient, type, source_event_id, channel)
);
-- an agent's in-app list: unread first, newest first
CREATE INDEX notification_inbox_idx ON notification (agent_id, (read_at IS NOT NULL), created_at DESC)
    WHERE channel = 'IN_APP' AND state IN ('PENDING', 'SENT');
-- what the next digest collects
CREATE INDEX notification_collected_idx ON notification (merchant_id, agent_id, created_at) WHERE state = 'COLLECTED';
CREATE INDEX notification_source_idx ON notification (source_event_id);

CREATE TABLE notification_preference
(
    merchant_id UUID        NOT NULL REFERENCES merchant (id),
    agent_id    UUID        NOT NULL,
    type        TEXT        NOT NULL,
    channels    TEXT[]      NOT NULL,
    delivery    TEXT        NOT NULL CHECK (delivery IN ('IMMEDIATE', 'DIGEST')),
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agent_id, type)
);
