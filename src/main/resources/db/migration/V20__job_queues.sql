-- The queue layer on JobRunr (com.acme.helpdesk.jobs).

-- Each queue's server claims the oldest ENQUEUED jobs of its queue: the signature up to '(' names the queue's handler.
CREATE INDEX jobrunr_enqueued_queue_idx ON jobrunr_jobs (split_part(jobSignature, '(', 1), updatedAt)
    WHERE state = 'ENQUEUED';

-- Idempotent workers: a job's key is recorded in the same transaction as its side effect.
CREATE TABLE job_idempotency (
    idempotency_key TEXT        PRIMARY KEY,
    job_id          UUID,
    queue           TEXT        NOT NULL,
    job_name        TEXT        NOT NULL,
    attempt         INT         NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_idempotency_recorded_at_idx ON job_idempotency (recorded_at);

-- Jobs that failed for good (last retry, invalid arguments, orphans out of retries).
CREATE TABLE job_dead_letter (
    id         UUID        PRIMARY KEY,
    job_id     UUID        NOT NULL UNIQUE,
    queue      TEXT        NOT NULL,
    job_name   TEXT        NOT NULL,
    arguments  JSONB       NOT NULL,
    error      TEXT        NOT NULL,
    attempts   INT         NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_dead_letter_queue_idx ON job_dead_letter (queue, failed_at DESC);
