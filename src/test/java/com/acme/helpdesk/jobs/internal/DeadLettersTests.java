package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.junit.jupiter.api.Test;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.TestJobs;

/**
 * How a requeue shows in a JobRunr job's history, on jobs in memory: the JobRunr dashboard's requeue leaves nothing but
 * the change from {@code FAILED} to {@code ENQUEUED}, which is how a worker knows its run follows one.
 */
class DeadLettersTests {

	@Test
	void aFailedJobEnqueuedAgainIsRequeuedWhileARetryIsNot() {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.NOTIFICATION, "key",
				new TestJobs.Sleep(JobQueue.NOTIFICATION, "notification", 0, "t")));
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).isZero();

		fail(job);
		job.scheduleAt(Instant.now(), "retry 1");
		job.enqueue();
		fail(job);
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).as("retried, then failed for good").isZero();

		job.enqueue(); // the dashboard's requeue
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).isEqualTo(2);
		fail(job);
		job.scheduleAt(Instant.now(), "retry 1");
		job.enqueue();
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).as("a retry after the requeue").isEqualTo(2);

		fail(job);
		job.delete("deleted in the dashboard");
		job.enqueue(); // requeued from the deleted jobs
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).isEqualTo(4);
	}

	@Test
	void aJobNeverFailedIsNeverRequeuedHoweverOftenItRuns() {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.ASSIGNMENT, "key",
				new TestJobs.Sleep(JobQueue.ASSIGNMENT, "assign", 0, "t")));
		job.delete("deleted");
		job.enqueue();
		job.scheduleAt(Instant.now(), "later");
		job.enqueue();
		assertThat(DeadLetters.failuresWhenLastRequeued(job)).isZero();
		assertThat(DeadLetters.failuresBeforeRequeue(null)).isZero();
		assertThat(DeadLetters.failuresBeforeRequeue(3)).isEqualTo(3);
		assertThat(DeadLetters.failuresBeforeRequeue(3L)).isEqualTo(3);
	}

	private static void fail(Job job) {
		job.failed("attempt failed", new IllegalStateException("boom"));
	}
}
