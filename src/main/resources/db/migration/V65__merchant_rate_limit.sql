-- A merchant's own rate limit on /api/** (set through /ops/v1/merchants/{id}/rate-limit); merchants without a row
-- have the default of helpdesk.rate-limit.
CREATE TABLE merchant_rate_limit
(
    merchant_id    UUID PRIMARY KEY REFERENCES merchant (id),
    requests       BIGINT      NOT NULL CHECK (requests > 0),
    period_seconds INTEGER     NOT NULL CHECK (period_seconds > 0),
    updated_at     TIMESTAMPTZ NOT NULL
);
