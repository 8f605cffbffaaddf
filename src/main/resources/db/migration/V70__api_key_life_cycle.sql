-- API keys get a life cycle: an optional expiry, when they were last used (written at most once a minute per key and
-- process) and a prefix shown in lists (keys issued before this migration have none: only their hash is known).
ALTER TABLE api_key
    ADD COLUMN prefix       TEXT,
    ADD COLUMN expires_at   TIMESTAMPTZ,
    ADD COLUMN last_used_at TIMESTAMPTZ;

-- the admin's list of a merchant's keys, newest first
CREATE INDEX api_key_listed_idx ON api_key (merchant_id, created_at DESC, id) WHERE revoked_at IS NULL;
