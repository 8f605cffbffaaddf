package com.acme.helpdesk.jobs;

import java.util.UUID;

/**
 * What a {@link JobWorker} knows about the run it serves.
 *
 * @param jobId the JobRunr job id (the same for every attempt)
 * @param idempotencyKey the key to record with the side effect ({@link JobIdempotency}); the same for every attempt
 * and every replay of the event the job was derived from
 * @param attempt 1 for the first run, 2 for the first retry, ...
 */
public record JobRun(UUID jobId, String idempotencyKey, JobQueue queue, String jobName, int attempt) {
}
