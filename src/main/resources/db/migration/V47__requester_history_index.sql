-- Enrichment lists the requester's most recent tickets (ORDER BY created_at DESC LIMIT ...). With only
-- (merchant_id, requester_email) indexed, the planner sometimes walked the merchant's tickets by creation time instead,
-- reading 1,781 blocks a call against 74 (pg_stat_statements, pipeline benchmark): with created_at in the index the
-- ordered list is read straight from it, and the requester's counts still use its prefix.
DROP INDEX ticket_by_requester_idx;
CREATE INDEX ticket_by_requester_idx ON ticket (merchant_id, requester_email, created_at DESC);
