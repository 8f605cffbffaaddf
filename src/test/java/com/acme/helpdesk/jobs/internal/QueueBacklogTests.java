package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The backlog gauges over a jobs table of their own (a copy of {@code jobrunr_jobs} with its indexes, under a table
 * prefix), so the figures are exactly this test's: only waiting ({@code ENQUEUED}) jobs count, per queue, up to the
 * limit, and the age is the injected clock's time since the oldest of them was enqueued.
 */
@HelpdeskTest
class QueueBacklogTests {

	static final String PREFIX = "backlog_test_";
	static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	@Autowired
	JdbcClient jdbc;

	MutableClock clock = new MutableClock(NOW);

	@BeforeEach
	void ownJobsTable() {
		jdbc.sql("DROP TABLE IF EXISTS " + PREFIX + "jobrunr_jobs").update();
		jdbc.sql("CREATE TABLE " + PREFIX + "jobrunr_jobs (LIKE jobrunr_jobs INCLUDING ALL)").update();
	}

	@AfterEach
	void dropIt() {
		jdbc.sql("DROP TABLE IF EXISTS " + PREFIX + "jobrunr_jobs").update();
	}

	@Test
	void countsEachQueuesWaitingJobsUpToTheLimitAndTellsHowLongTheOldestHasWaited() {
		job(JobQueue.NOTIFICATION, "ENQUEUED", NOW.minusSeconds(90));
		job(JobQueue.NOTIFICATION, "ENQUEUED", NOW.minusSeconds(30));
		job(JobQueue.NOTIFICATION, "PROCESSING", NOW.minusSeconds(600));
		job(JobQueue.NOTIFICATION, "SCHEDULED", NOW.minusSeconds(600));
		job(JobQueue.NOTIFICATION, "SUCCEEDED", NOW.minusSeconds(900));
		job(JobQueue.ASSIGNMENT, "FAILED", NOW.minusSeconds(900));
		jdbc.sql("INSERT INTO " + PREFIX + "jobrunr_jobs (id, version, jobAsJson, jobSignature, state, createdAt, updatedAt) "
				+ "SELECT gen_random_uuid()::text, 1, '{}', ?, 'ENQUEUED', ?, ? FROM generate_series(1, ?)")
			.params(signature(JobQueue.CONTEXT_ENRICHMENT), utc(NOW.minusSeconds(5)), utc(NOW.minusSeconds(5)),
					QueueBacklog.COUNT_LIMIT + 5)
			.update();
		var deadLettersBefore = deadLetters(JobQueue.ESCALATION);
		var letter = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO job_dead_letter (id, job_id, queue, job_name, arguments, error, attempts, failed_at)
				VALUES (?, ?, 'helpdesk.escalation', 'escalation', '{}', 'boom', 4, now())""")
			.params(letter, UUID.randomUUID())
			.update();
		try {
			var registry = new SimpleMeterRegistry();
			new QueueBacklog(jdbc, PREFIX, clock).bindTo(registry);

			assertThat(gauge(registry, "helpdesk.jobs.waiting", JobQueue.NOTIFICATION)).isEqualTo(2);
			assertThat(gauge(registry, "helpdesk.jobs.waiting.oldest.age", JobQueue.NOTIFICATION)).isCloseTo(90, within(0.01));
			assertThat(gauge(registry, "helpdesk.jobs.waiting", JobQueue.ASSIGNMENT)).as("failed: not waiting").isZero();
			assertThat(gauge(registry, "helpdesk.jobs.waiting.oldest.age", JobQueue.ASSIGNMENT)).isZero();
			assertThat(gauge(registry, "helpdesk.jobs.waiting", JobQueue.CONTEXT_ENRICHMENT)).as("counted up to the limit")
				.isEqualTo(QueueBacklog.COUNT_LIMIT);
			assertThat(gauge(registry, "helpdesk.jobs.dead.letters", JobQueue.ESCALATION)).isEqualTo(deadLettersBefore + 1);

			// one reading serves the scrapes of the next 5 s; the age goes on with the clock
			job(JobQueue.NOTIFICATION, "ENQUEUED", NOW.minusSeconds(3600));
			clock.advance(Duration.ofSeconds(10));
			assertThat(gauge(registry, "helpdesk.jobs.waiting", JobQueue.NOTIFICATION)).isEqualTo(2);
			assertThat(gauge(registry, "helpdesk.jobs.waiting.oldest.age", JobQueue.NOTIFICATION)).isCloseTo(100, within(0.01));
		}
		finally {
			jdbc.sql("DELETE FROM job_dead_letter WHERE id = ?").param(letter).update();
		}
	}

	private void job(JobQueue queue, String state, Instant updatedAt) {
		jdbc.sql("INSERT INTO " + PREFIX + "jobrunr_jobs (id, version, jobAsJson, jobSignature, state, createdAt, updatedAt) "
				+ "VALUES (?, 1, '{}', ?, ?, ?, ?)")
			.params(UUID.randomUUID().toString(), signature(queue), state, utc(updatedAt), utc(updatedAt))
			.update();
	}

	/** As JobRunr stores it: {@code <handler>.run(<parameter types>)}. */
	private static String signature(JobQueue queue) {
		return QueueHandler.handlerClass(queue).getName() + ".run(java.lang.String, com.acme.helpdesk.jobs.HelpdeskJob)";
	}

	/** JobRunr's columns are {@code TIMESTAMP}s holding UTC. */
	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private long deadLetters(JobQueue queue) {
		return jdbc.sql("SELECT count(*) FROM job_dead_letter WHERE queue = ?").param(queue.queueName()).query(Long.class).single();
	}

	private static double gauge(SimpleMeterRegistry registry, String name, JobQueue queue) {
		var gauge = registry.find(name).tag("queue", queue.queueName());
		return name.endsWith(".age") ? gauge.timeGauge().value(java.util.concurrent.TimeUnit.SECONDS) : gauge.gauge().value();
	}
}
