package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jobrunr.jobs.Job;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobReruns;
import com.acme.helpdesk.jobs.TestJobs;
import com.acme.helpdesk.shared.Purged;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

/**
 * The queue layer's purge: failed jobs with their dead letters, and idempotency keys, each past its window, in
 * batches, nothing else (jobs in other states are JobRunr's); the key's window covers every rerun. Times long past, so
 * only this test's rows are in reach.
 */
@HelpdeskTest
class JobRetentionTests {

	static final Instant NOW = Instant.parse("2001-01-01T00:00:00Z");
	static final Duration DEAD_LETTERS = Duration.ofDays(14);
	static final Duration KEYS = Duration.ofDays(18);
	static final String QUEUE = "test.retention";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	StorageProvider storage;

	@Autowired
	JobReruns reruns;

	final List<UUID> jobs = new ArrayList<>();

	@AfterEach
	void removeTheRowsLeft() {
		jobs.forEach(id -> jdbc.sql("DELETE FROM jobrunr_jobs WHERE id = ?").param(id.toString()).update());
		jdbc.sql("DELETE FROM job_dead_letter WHERE queue = ?").param(QUEUE).update();
		jdbc.sql("DELETE FROM job_idempotency WHERE queue = ?").param(QUEUE).update();
	}

	@Test
	void deletesFailedJobsDeadLettersAndKeysPastTheirWindowsInBatchesAndNothingElse() {
		var pastDeadLetters = NOW.minus(DEAD_LETTERS).minusSeconds(60);
		var oldFailed = List.of(failedJob(pastDeadLetters), failedJob(pastDeadLetters), failedJob(pastDeadLetters));
		var youngFailed = failedJob(NOW.minus(DEAD_LETTERS).plusSeconds(60));
		var oldDeleted = job(pastDeadLetters, job -> job.delete("deleted in the dashboard"));
		for (int i = 0; i < 3; i++) {
			deadLetter(pastDeadLetters);
		}
		var youngDeadLetter = deadLetter(NOW.minus(DEAD_LETTERS).plusSeconds(60));
		for (int i = 0; i < 5; i++) {
			key(NOW.minus(KEYS).minusSeconds(1));
		}
		var youngKey = key(NOW.minus(KEYS).plusSeconds(60));
		var retention = new JobRetention(jdbc, new JobRetentionProperties(DEAD_LETTERS, KEYS, "37 * * * *", 2), reruns,
				new MutableClock(NOW), null);

		assertThat(retention.purgeExpired())
			.isEqualTo(new JobRetention.Result(new Purged(3, 2), new Purged(3, 2), new Purged(5, 3)));
		assertThat(oldFailed).noneMatch(this::exists);
		assertThat(exists(youngFailed)).as("failed inside the window").isTrue();
		assertThat(exists(oldDeleted)).as("a DELETED job is JobRunr's to delete").isTrue();
		assertThat(jdbc.sql("SELECT id FROM job_dead_letter WHERE queue = ?").param(QUEUE).query(UUID.class).list())
			.containsExactly(youngDeadLetter);
		assertThat(jdbc.sql("SELECT idempotency_key FROM job_idempotency WHERE queue = ?").param(QUEUE).query(String.class).list())
			.containsExactly(youngKey);

		assertThat(retention.purgeExpired())
			.isEqualTo(new JobRetention.Result(new Purged(0, 1), new Purged(0, 1), new Purged(0, 1)));
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(JobRetention.PURGE_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void anIdempotencyKeyOutlivesEveryRerunOfItsJob() {
		// the slowest queue by default: notification, 5 retries from 5 s (5 + 10 + 20 + 40 + 80 s), each of its 6
		// attempts up to 30 s late (poll 5 s x (server time-out multiplicand 4 + 2)); then a dead letter for 14 days
		// (longer than JobRunr's 36 h for a succeeded job), then up to 72 h as a DELETED job
		var window = reruns.window();
		assertThat(window.length()).isEqualTo(Duration.ofSeconds(155 + 6 * 30).plus(DEAD_LETTERS).plusHours(72));
		assertThat(window.derivation()).contains("helpdesk.notification", "helpdesk.jobs.dead-letter-retention (P14D)",
				"permanently-delete-deleted-jobs-after (P3D)");

		assertThatThrownBy(() -> new JobRetention(jdbc,
				new JobRetentionProperties(DEAD_LETTERS, Duration.ofDays(17), "37 * * * *", 1000), reruns,
				new MutableClock(NOW), null))
			.hasMessageContaining("helpdesk.jobs.idempotency-retention (P17D) is shorter than the longest time a job can run again: P17DT5M35S")
			.hasMessageContaining("set helpdesk.jobs.idempotency-retention to at least P17DT5M35S");
	}

	private UUID failedJob(Instant failedAt) {
		return job(failedAt, job -> job.failed("failed for good", new IllegalStateException("boom")));
	}

	private UUID job(Instant updatedAt, java.util.function.Consumer<Job> toState) {
		var job = new Job(UUID.randomUUID(), JobSignatures.details(JobQueue.NOTIFICATION, "retention",
				new TestJobs.Sleep(JobQueue.NOTIFICATION, "notification", 0, "retention")));
		toState.accept(job);
		storage.save(job);
		jobs.add(job.getId());
		// JobRunr keeps its times in UTC, as timestamps without a zone: the purge compares them so
		assertThat(jdbc.sql("SELECT updatedAt FROM jobrunr_jobs WHERE id = ?")
			.param(job.getId().toString())
			.query(LocalDateTime.class)
			.single()).isCloseTo(LocalDateTime.now(ZoneOffset.UTC), org.assertj.core.api.Assertions.within(10, java.time.temporal.ChronoUnit.MINUTES));
		jdbc.sql("UPDATE jobrunr_jobs SET updatedAt = ? WHERE id = ?")
			.params(LocalDateTime.ofInstant(updatedAt, ZoneOffset.UTC), job.getId().toString())
			.update();
		return job.getId();
	}

	private boolean exists(UUID jobId) {
		return jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(Long.class).single() > 0;
	}

	private UUID deadLetter(Instant failedAt) {
		var id = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO job_dead_letter (id, job_id, queue, job_name, arguments, error, attempts, failed_at)
				VALUES (?, ?, ?, 'notification', '{}', 'boom', 6, ?)""")
			.params(id, UUID.randomUUID(), QUEUE, Timestamp.from(failedAt))
			.update();
		return id;
	}

	private String key(Instant recordedAt) {
		var key = "job:" + UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO job_idempotency (idempotency_key, job_id, queue, job_name, attempt, recorded_at)
				VALUES (?, ?, ?, 'notification', 1, ?)""")
			.params(key, UUID.randomUUID(), QUEUE, Timestamp.from(recordedAt))
			.update();
		return key;
	}
}
