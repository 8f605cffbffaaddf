CREATE TABLE merchant_settings
(
    merchant_id                      UUID PRIMARY KEY REFERENCES merchant (id),
    webhook_url                      TEXT,
    webhook_secret                   TEXT,
    enrichment_url                   TEXT,
    return_tickets_of_offline_agents BOOLEAN     NOT NULL DEFAULT FALSE,
    survey_delay                     TEXT        NOT NULL DEFAULT 'PT0S',
    updated_at                       TIMESTAMPTZ NOT NULL
);
