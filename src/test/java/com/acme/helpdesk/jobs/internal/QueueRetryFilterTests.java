package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Test;

import com.acme.helpdesk.jobs.Backoff;
import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.QueueSettings;
import com.acme.helpdesk.jobs.TestJobs;

/** The retry filter of every queue server, on JobRunr jobs in memory: which failure is retried after which delay. */
class QueueRetryFilterTests {

	static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
	static final QueueSettings NO_QUEUE = new QueueSettings(null, 2, 1, Backoff.FIXED, Duration.ofSeconds(7), 10);

	final QueueRetryFilter filter = new QueueRetryFilter(new JobQueues(Map.of()), NO_QUEUE,
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void eachQueueRetriesItsDefaultNumberOfTimesAtItsBackoffThenLeavesTheJobFailed() {
		assertThat(retryDelaysUntilFailedForGood(JobQueue.SLA_MONITOR)).containsExactly(seconds(60, 60));
		assertThat(retryDelaysUntilFailedForGood(JobQueue.ESCALATION)).containsExactly(seconds(5, 10, 20));
		assertThat(retryDelaysUntilFailedForGood(JobQueue.ASSIGNMENT)).containsExactly(seconds(5, 10, 20));
		assertThat(retryDelaysUntilFailedForGood(JobQueue.CONTEXT_ENRICHMENT)).containsExactly(seconds(5, 10, 20));
		assertThat(retryDelaysUntilFailedForGood(JobQueue.NOTIFICATION)).containsExactly(seconds(5, 10, 20, 40, 80));
		assertThat(retryDelaysUntilFailedForGood(JobQueue.SURVEY_TRIGGER)).containsExactly(seconds(10, 20, 40));
	}

	@Test
	void jobWithInvalidArgumentsIsNotRetried() {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.ASSIGNMENT, "key",
				new TestJobs.Sleep(JobQueue.ASSIGNMENT, "assign", 0, "invalid")));
		job.failed("bad arguments", new InvalidJobArgumentsException("ticket does not exist"));
		filter.onStateElection(job, job.getJobState());
		assertThat(job.getState()).isEqualTo(StateName.FAILED);
	}

	/** As JobRunr's master fails a job whose server stopped signalling (its process died): retried at once. */
	@Test
	void orphanedJobRunsAgainAtOnceAndCountsAsAnAttempt() {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.SURVEY_TRIGGER, "key",
				new TestJobs.Sleep(JobQueue.SURVEY_TRIGGER, "survey-trigger", 0, "orphaned")));
		var orphanedTimes = 0;
		while (true) {
			job.failed("Orphaned job", new IllegalJobThreadStateException(
					"Job was too long in PROCESSING state without being updated."));
			orphanedTimes++;
			filter.onStateElection(job, job.getJobState());
			if (!(job.getJobState() instanceof ScheduledState scheduled)) {
				break;
			}
			assertThat(scheduled.getScheduledAt()).as("retry %d", orphanedTimes).isEqualTo(NOW);
			job.enqueue();
		}
		// the survey trigger's 3 retries: a job that kills its process each time ends as a dead letter
		assertThat(orphanedTimes).isEqualTo(4);
		assertThat(job.getState()).isEqualTo(StateName.FAILED);
	}

	@Test
	void failureAfterAnOrphanedRunWaitsTheBackoffOfItsAttempt() {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.ASSIGNMENT, "key",
				new TestJobs.Sleep(JobQueue.ASSIGNMENT, "assign", 0, "orphaned-then-failed")));
		job.failed("Orphaned job", new IllegalJobThreadStateException("too long in PROCESSING"));
		filter.onStateElection(job, job.getJobState());
		job.enqueue();
		job.failed("attempt 2", new IllegalStateException("boom"));
		filter.onStateElection(job, job.getJobState());
		assertThat(((ScheduledState) job.getJobState()).getScheduledAt()).isEqualTo(NOW.plusSeconds(10));
	}

	/**
	 * Fails the job again and again as a server would, answering the delay of each retry the filter scheduled, until
	 * the filter leaves a failure final.
	 */
	private List<Duration> retryDelaysUntilFailedForGood(JobQueue queue) {
		var job = new Job(UUID.randomUUID(),
				JobSignatures.details(queue, "key", new TestJobs.Sleep(queue, queue.jobNames().get(0), 0, "t")));
		var delays = new ArrayList<Duration>();
		for (int attempt = 1; attempt <= 20; attempt++) {
			job.failed("attempt " + attempt, new IllegalStateException("boom"));
			filter.onStateElection(job, job.getJobState());
			if (!(job.getJobState() instanceof ScheduledState scheduled)) {
				assertThat((Object) job.getJobState()).isInstanceOf(FailedState.class);
				assertThat(attempt).as("attempts of " + queue.queueName()).isEqualTo(delays.size() + 1);
				return delays;
			}
			delays.add(Duration.between(NOW, scheduled.getScheduledAt()));
			job.enqueue();
		}
		throw new AssertionError(queue.queueName() + " retried forever");
	}

	private static Duration[] seconds(long... values) {
		return java.util.Arrays.stream(values).mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
	}
}
