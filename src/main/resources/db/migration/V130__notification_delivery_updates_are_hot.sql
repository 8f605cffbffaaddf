-- Every delivered notification is rewritten once (PENDING -> SENT). state was in the predicates of the inbox and
-- digest indexes, so that rewrite was never a HOT update: each wrote all seven indexes of the table again. The two
-- partial indexes now select rows by columns derived from state that keep their value on delivery, and pages keep
-- room for the new version. (Adding stored columns rewrites the table, holding back its reads and writes meanwhile:
-- on a notification table of many millions of rows, deploy this while little is notified.)
ALTER TABLE notification
    ADD COLUMN in_inbox BOOLEAN GENERATED ALWAYS AS (channel = 'IN_APP' AND state IN ('PENDING', 'SENT')) STORED,
    ADD COLUMN awaiting_digest BOOLEAN GENERATED ALWAYS AS (state = 'COLLECTED') STORED;

DROP INDEX notification_inbox_idx;
CREATE INDEX notification_inbox_idx ON notification (agent_id, (read_at IS NOT NULL), created_at DESC) WHERE in_inbox;
DROP INDEX notification_collected_idx;
CREATE INDEX notification_collected_idx ON notification (merchant_id, agent_id, created_at) WHERE awaiting_digest;

ALTER TABLE notification SET (fillfactor = 85);
