-- surveys: one per ticket, answered once.
CREATE TABLE survey
(
    id              UUID PRIMARY KEY,
    merchant_id     UUID        NOT NULL REFERENCES merchant (id),
    ticket_id       UUID        NOT NULL UNIQUE,
    ticket_number   BIGINT      NOT NULL,
    subject         TEXT        NOT NULL,
    agent_id        UUID,
    category_id     UUID,
    token           TEXT        NOT NULL UNIQUE,
    question        TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    rating          SMALLINT CHECK (rating BETWEEN 1 AND 5),
    comment         TEXT,
    answered_at     TIMESTAMPTZ,
    CHECK ((rating IS NULL) = (answered_at IS NULL))
);
CREATE INDEX survey_stats_idx ON survey (merchant_id, created_at);
