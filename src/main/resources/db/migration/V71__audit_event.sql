-- Who changed what among a merchant's settings, keys, agents, SLA and escalation policies. Written in the transaction
-- of the change; before/after never carry secrets (webhook secrets, key hashes).
CREATE TABLE audit_event
(
    id           UUID PRIMARY KEY,
    -- orders events written at the same instant in the order they were written
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    merchant_id  UUID        NOT NULL REFERENCES merchant (id),
    at           TIMESTAMPTZ NOT NULL,
    actor_key_id UUID,
    action       TEXT        NOT NULL,
    target       TEXT        NOT NULL,
    before       JSONB,
    after        JSONB
);
CREATE INDEX audit_event_by_merchant_idx ON audit_event (merchant_id, at DESC, seq DESC);
-- the retention purge
CREATE INDEX audit_event_by_time_idx ON audit_event (at);
