package com.acme.helpdesk.jobs;

import java.util.UUID;

/**
 * What a {@link JobWorker} knows about the run it serves.
 *
 * @param jobId the JobRunr job id (the same for every attempt)
 * @param idempotencyKey the key to record with the side effect ({@link JobIdempotency}); the same for every attempt
 * and every replay of the event the job was derived from
 * @param attempt 1 for the first run, 2 for the first retry, ...; counted from 1 again after a requeue
 * @param requeued whether the job became a dead letter and was requeued since (through the operations API or the
 * JobRunr dashboard): a state its failed attempts left behind (a notification marked {@code FAILED}, say) is to be
 * tried again, once
 */
public record JobRun(UUID jobId, String idempotencyKey, JobQueue queue, String jobName, int attempt,
		boolean requeued) {

	/** A run of a job that was never requeued. */
	public JobRun(UUID jobId, String idempotencyKey, JobQueue queue, String jobName, int attempt) {
		this(jobId, idempotencyKey, queue, jobName, attempt, false);
	}
}
