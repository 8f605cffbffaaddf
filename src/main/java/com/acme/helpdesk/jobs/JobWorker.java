package com.acme.helpdesk.jobs;

import java.util.Optional;
import java.util.UUID;

/**
 * The body of one job type, implemented by the module that owns the side effect, as a Spring bean. The queue layer
 * calls {@link #run} on a worker thread of the job's queue. Throwing fails the attempt: it is retried with the queue's
 * back-off and, after the last retry, handed to the dead letters. Throw {@link InvalidJobArgumentsException} for
 * arguments that can never work (an unknown id, another merchant's ticket): it goes to the dead letters at once.
 * <p>
 * A run may happen more than once (a retry after a crash, a requeued dead letter): record the side effect with
 * {@link JobIdempotency} in the same transaction. A requeued dead letter ({@link JobRun#requeued()}) must run the side
 * effect its failed attempts did not: a worker whose last failed attempt leaves a mark that stops later runs (a
 * notification marked {@code FAILED}) clears it on a requeued run.
 *
 * <pre>{@code
 * @Component
 * class AutoAssignTicket implements JobWorker<AssignmentJob> {
 *     public Class<AssignmentJob> jobType() { return AssignmentJob.class; }
 *     public void run(AssignmentJob job, JobRun run) {
 *         idempotency.once(run, () -> assign(job.merchantId(), job.ticketId()));
 *     }
 * }
 * }</pre>
 */
public interface JobWorker<T extends HelpdeskJob> {

	/** The job type this worker runs; exactly one worker per type. */
	Class<T> jobType();

	void run(T job, JobRun run) throws Exception;

	/**
	 * Whether this run may share a transaction with other runs of this worker, and in which order: the id of the row
	 * the run locks first (its ticket, say), or empty (the default) for a run that needs a transaction of its own.
	 * <p>
	 * Runs with a key that arrive while one of this worker's batches runs wait, and run next together, one after the
	 * other in one transaction, ordered by their keys (so two such transactions lock their first rows in one order).
	 * When that transaction fails, each of them runs again alone, so a failing run fails only its own job. Answer a key
	 * only for a run that does all its work in the caller's transaction ({@code REQUIRED}, never {@code REQUIRES_NEW})
	 * and nothing outside the database that a rolled-back attempt would leave behind (no HTTP call, no mail). Every
	 * row a run writes stays locked until the whole batch commits: answer none for rows that jobs of other queues
	 * write soon after, or those jobs wait for the whole batch instead of one run.
	 */
	default Optional<UUID> sharedTransactionKey(T job) {
		return Optional.empty();
	}
}
