-- Which process wrote an event publication, and which processes are alive (outbox.ProcessLiveness): the incomplete
-- publications of a process that stopped or died are taken over by the others at once (outbox.DeadProcessPublications)
-- instead of after helpdesk.outbox.resubmit-older-than.

CREATE TABLE process_instance (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at   TIMESTAMPTZ
);

-- Spring Modulith writes the other columns; this one gets the process id every connection of the pool sets
-- (SET helpdesk.process = '<id>'), or NULL on a connection that set none. Added without a default first, so the rows
-- already there stay NULL (a publication of unknown process: resubmitted by age only).
ALTER TABLE event_publication ADD COLUMN process_id TEXT;
ALTER TABLE event_publication ALTER COLUMN process_id SET DEFAULT nullif(current_setting('helpdesk.process', true), '');
