-- Category and tag counts in shards: every ticket of a category updated its one row, which stayed locked until the
-- counting listener committed, so under load the listeners queued on it (and held their connections meanwhile).
-- A ticket increments one of 16 shards; a count is the sum of its shards.
CREATE TABLE category_ticket_count
(
    category_id  UUID     NOT NULL REFERENCES category (id) ON DELETE CASCADE,
    shard        SMALLINT NOT NULL,
    ticket_count BIGINT   NOT NULL,
    PRIMARY KEY (category_id, shard)
);
CREATE TABLE tag_ticket_count
(
    tag_id       UUID     NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    shard        SMALLINT NOT NULL,
    ticket_count BIGINT   NOT NULL,
    PRIMARY KEY (tag_id, shard)
);
INSERT INTO category_ticket_count (category_id, shard, ticket_count)
SELECT id, 0, ticket_count FROM category WHERE ticket_count > 0;
INSERT INTO tag_ticket_count (tag_id, shard, ticket_count)
SELECT id, 0, ticket_count FROM tag WHERE ticket_count > 0;
ALTER TABLE category DROP COLUMN ticket_count;
ALTER TABLE tag DROP COLUMN ticket_count;
