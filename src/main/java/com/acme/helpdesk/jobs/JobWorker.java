package com.acme.helpdesk.jobs;

/**
 * The body of one job type, implemented by the module that owns the side effect, as a Spring bean. The queue layer
 * calls {@link #run} on a worker thread of the job's queue. Throwing fails the attempt: it is retried with the queue's
 * back-off and, after the last retry, handed to the dead letters. Throw {@link InvalidJobArgumentsException} for
 * arguments that can never work (an unknown id, another merchant's ticket): it goes to the dead letters at once.
 * <p>
 * A run may happen more than once (a retry after a crash, a requeued dead letter): record the side effect with
 * {@link JobIdempotency} in the same transaction.
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
}
