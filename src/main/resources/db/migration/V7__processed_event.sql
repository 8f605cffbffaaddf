-- Events a listener has handled, recorded in the listener's own transaction: a replayed event finds its
-- row and changes nothing.
CREATE TABLE processed_event
(
    listener_id  TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (listener_id, event_id)
);
