-- Tickets whose figures must be recounted; a change bumps the generation, so a worker removes only what it counted.
CREATE SEQUENCE analytics_dirty_generation;
CREATE TABLE analytics_dirty_ticket
(
    ticket_id   UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL,
    generation  BIGINT      NOT NULL,
    marked_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX analytics_dirty_ticket_by_merchant_idx ON analytics_dirty_ticket (merchant_id, marked_at);

-- What each ticket was last counted with: its contribution is taken back from the buckets before the new one is added.
CREATE TABLE analytics_ticket
(
    ticket_id   UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL,
    facts       JSONB       NOT NULL,
    counted_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX analytics_ticket_by_merchant_idx ON analytics_ticket (merchant_id);

-- level: 0 quarter hour, 1 hour, 2 day, 3 month (UTC); dimension: 0 merchant, 1 agent, 2 category, 3 tag, 4 priority.
-- counters in the order of the Figure enum; sketches: the DurationSketch of each DurationMetric, in its order.
CREATE TABLE analytics_bucket
(
    merchant_id   UUID        NOT NULL,
    dimension     SMALLINT    NOT NULL,
    level         SMALLINT    NOT NULL,
    bucket_start  TIMESTAMPTZ NOT NULL,
    dimension_key TEXT        NOT NULL,
    counters      BIGINT[]    NOT NULL,
    sketches      BYTEA       NOT NULL,
    PRIMARY KEY (merchant_id, dimension, level, bucket_start, dimension_key)
);
