CREATE TABLE merchant
(
    id         UUID PRIMARY KEY,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_key
(
    id          UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL REFERENCES merchant (id),
    key_hash    TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('ADMIN', 'AGENT')),
    agent_id    UUID,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    CHECK ((role = 'AGENT') = (agent_id IS NOT NULL))
);
CREATE UNIQUE INDEX api_key_by_hash_idx ON api_key (key_hash);
CREATE INDEX api_key_by_merchant_idx ON api_key (merchant_id);
