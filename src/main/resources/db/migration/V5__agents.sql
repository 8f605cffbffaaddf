CREATE TABLE agent
(
    id               UUID PRIMARY KEY,
    merchant_id      UUID        NOT NULL REFERENCES merchant (id),
    name             TEXT        NOT NULL,
    email            TEXT        NOT NULL,
    availability     TEXT        NOT NULL CHECK (availability IN ('ONLINE', 'AWAY', 'OFFLINE')),
    capacity         INT         NOT NULL CHECK (capacity >= 0),
    category_ids     UUID[]      NOT NULL DEFAULT '{}',
    load             INT         NOT NULL DEFAULT 0 CHECK (load >= 0),
    last_assigned_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT      NOT NULL
);
CREATE UNIQUE INDEX agent_email_per_merchant_idx ON agent (merchant_id, lower(email));
CREATE INDEX agent_by_categories_idx ON agent USING gin (category_ids);
