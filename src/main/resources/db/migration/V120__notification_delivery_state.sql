-- What the merchant sees of each notification's delivery (GET /api/v1/notification-deliveries): how many attempts
-- failed and when the last one did; last_error (V40) keeps the last failure's reason, also after a later success.
ALTER TABLE notification
    ADD COLUMN failed_attempts INT NOT NULL DEFAULT 0,
    ADD COLUMN last_failed_at  TIMESTAMPTZ;
-- a ticket's notifications (one more index entry per notification written; not CONCURRENTLY, as V46 says why: on a
-- large notification table deploy this while little is notified)
CREATE INDEX notification_ticket_idx ON notification (ticket_id) WHERE ticket_id IS NOT NULL;
-- the merchant's deliveries that failed at least once, newest failure first: written only when one fails
CREATE INDEX notification_failed_idx ON notification (merchant_id, last_failed_at DESC, id) WHERE last_failed_at IS NOT NULL;
