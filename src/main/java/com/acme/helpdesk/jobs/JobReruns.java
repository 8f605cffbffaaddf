package com.acme.helpdesk.jobs;

import com.acme.helpdesk.shared.ReplayWindow;

/**
 * How long after a job's side effect took effect a job carrying the same idempotency key can still run again: its
 * remaining retries, a requeue of its dead letter (until dead letters are purged), or a requeue from the JobRunr
 * dashboard of the job kept as succeeded or deleted (until JobRunr deletes it). What makes such a run change nothing
 * (the key in {@link JobIdempotency}, a row the worker finds done) must be kept at least this long.
 */
public interface JobReruns {

	ReplayWindow window();
}
