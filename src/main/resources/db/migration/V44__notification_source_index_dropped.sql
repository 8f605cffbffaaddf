-- No query looks notifications up by source event alone any more: the listener gets the rows it inserted back from
-- the INSERT, and a digest is found by its unique key. The index cost a write on every insert and on every state
-- change (state is in notification_collected_idx's predicate, so those updates are never HOT).
DROP INDEX IF EXISTS notification_source_idx;
