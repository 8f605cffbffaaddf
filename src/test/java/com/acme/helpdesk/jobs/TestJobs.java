package com.acme.helpdesk.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/** Jobs and workers of the queue tests (also loaded by the child worker processes). */
public final class TestJobs {

	private TestJobs() {
	}

	/** Sleeps; records how many jobs of its queue run at once in this JVM, and when each started. */
	public record Sleep(JobQueue queue, String jobName, long millis, String tag) implements HelpdeskJob {
	}

	/** Always fails. */
	public record Fail(JobQueue queue, String tag) implements HelpdeskJob {

		@Override
		public String jobName() {
			return "always-fails";
		}
	}

	/**
	 * Inserts one row into {@code test_side_effect} with the job's idempotency key and this process's pid; then
	 * fails with invalid arguments when {@code invalid}, or blocks {@code blockFirstAttemptMillis} before committing on
	 * the first attempt (to be killed mid-job).
	 */
	public record Insert(JobQueue queue, String tag, boolean invalid, long blockFirstAttemptMillis) implements HelpdeskJob {

		@Override
		public String jobName() {
			return "insert";
		}
	}

	/**
	 * Records its start in {@code test_job_started}, announces it ({@link Announced}, committed at once: a publication
	 * of this process), blocks {@code blockFirstAttemptMillis} on the first attempt (to be killed or stopped mid-job),
	 * then inserts its row into {@code test_side_effect} once.
	 */
	public record Announce(JobQueue queue, String tag, long blockFirstAttemptMillis) implements HelpdeskJob {

		@Override
		public String jobName() {
			return "announce";
		}
	}

	/** Published by {@link Announce}; its listener counts deliveries in {@code test_announced}. */
	public record Announced(String tag, int attempt) {
	}

	public static final Map<JobQueue, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
	public static final Map<JobQueue, AtomicInteger> MAX_RUNNING = new ConcurrentHashMap<>();
	public static final Map<String, Instant> STARTED = new ConcurrentHashMap<>();
	/** The thread each {@link Sleep} job ran on, by tag. */
	public static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();
	public static final Map<String, List<Instant>> ATTEMPTS = new ConcurrentHashMap<>();

	public static void reset() {
		RUNNING.clear();
		MAX_RUNNING.clear();
		STARTED.clear();
		THREADS.clear();
		ATTEMPTS.clear();
	}

	public static int maxRunning(JobQueue queue) {
		return MAX_RUNNING.getOrDefault(queue, new AtomicInteger()).get();
	}

	@Component
	static class SleepWorker implements JobWorker<Sleep> {

		@Override
		public Class<Sleep> jobType() {
			return Sleep.class;
		}

		@Override
		public void run(Sleep job, JobRun run) throws InterruptedException {
			STARTED.putIfAbsent(job.tag(), Instant.now());
			THREADS.putIfAbsent(job.tag(), Thread.currentThread());
			var now = RUNNING.computeIfAbsent(job.queue(), q -> new AtomicInteger()).incrementAndGet();
			MAX_RUNNING.computeIfAbsent(job.queue(), q -> new AtomicInteger()).accumulateAndGet(now, Math::max);
			try {
				if (job.millis() > 0) {
					Thread.sleep(job.millis());
				}
			}
			finally {
				RUNNING.get(job.queue()).decrementAndGet();
			}
		}
	}

	@Component
	static class FailWorker implements JobWorker<Fail> {

		@Override
		public Class<Fail> jobType() {
			return Fail.class;
		}

		@Override
		public void run(Fail job, JobRun run) {
			ATTEMPTS.computeIfAbsent(job.tag(), t -> new CopyOnWriteArrayList<>()).add(Instant.now());
			throw new IllegalStateException("always fails: attempt " + run.attempt());
		}
	}

	@Component
	static class InsertWorker implements JobWorker<Insert> {

		private final JdbcClient jdbc;
		private final JobIdempotency idempotency;

		InsertWorker(JdbcClient jdbc, JobIdempotency idempotency) {
			this.jdbc = jdbc;
			this.idempotency = idempotency;
		}

		@Override
		public Class<Insert> jobType() {
			return Insert.class;
		}

		@Override
		public void run(Insert job, JobRun run) throws Exception {
			jdbc.sql("INSERT INTO test_job_started (tag, pid, attempt) VALUES (?, ?, ?)")
				.params(job.tag(), ProcessHandle.current().pid(), run.attempt())
				.update();
			idempotency.once(run, () -> {
				jdbc.sql("INSERT INTO test_side_effect (id, tag, idempotency_key, pid) VALUES (?, ?, ?, ?)")
					.params(UUID.randomUUID(), job.tag(), run.idempotencyKey(), ProcessHandle.current().pid())
					.update();
				if (job.invalid()) {
					throw new InvalidJobArgumentsException("ticket " + job.tag() + " does not exist");
				}
				if (run.attempt() == 1 && job.blockFirstAttemptMillis() > 0) {
					try {
						Thread.sleep(job.blockFirstAttemptMillis());
					}
					catch (InterruptedException e) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(e);
					}
				}
			});
		}
	}

	@Component
	static class AnnounceWorker implements JobWorker<Announce> {

		private final JdbcClient jdbc;
		private final JobIdempotency idempotency;
		private final ApplicationEventPublisher events;
		private final TransactionTemplate transactions;

		AnnounceWorker(JdbcClient jdbc, JobIdempotency idempotency, ApplicationEventPublisher events,
				TransactionTemplate transactions) {
			this.jdbc = jdbc;
			this.idempotency = idempotency;
			this.events = events;
			this.transactions = transactions;
		}

		@Override
		public Class<Announce> jobType() {
			return Announce.class;
		}

		@Override
		public void run(Announce job, JobRun run) throws Exception {
			jdbc.sql("INSERT INTO test_job_started (tag, pid, attempt) VALUES (?, ?, ?)")
				.params(job.tag(), ProcessHandle.current().pid(), run.attempt())
				.update();
			transactions.executeWithoutResult(status -> events.publishEvent(new Announced(job.tag(), run.attempt())));
			if (run.attempt() == 1 && job.blockFirstAttemptMillis() > 0) {
				Thread.sleep(job.blockFirstAttemptMillis());
			}
			idempotency.once(run, () -> jdbc.sql("INSERT INTO test_side_effect (id, tag, idempotency_key, pid) VALUES (?, ?, ?, ?)")
				.params(UUID.randomUUID(), job.tag(), run.idempotencyKey(), ProcessHandle.current().pid())
				.update());
		}
	}

	/** Counts the deliveries of each {@link Announced}, and in which process the last one ran. */
	@Component
	static class AnnouncedListener {

		private final JdbcClient jdbc;

		AnnouncedListener(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@ApplicationModuleListener(id = "jobs.test-count-announced")
		void on(Announced event) {
			jdbc.sql("""
					INSERT INTO test_announced (tag, attempt, pid, deliveries) VALUES (?, ?, ?, 1)
					ON CONFLICT (tag, attempt) DO UPDATE SET deliveries = test_announced.deliveries + 1, pid = excluded.pid""")
				.params(event.tag(), event.attempt(), ProcessHandle.current().pid())
				.update();
		}
	}

	/** The tables of the test workers (created by the tests, idempotently). */
	public static void createTables(JdbcClient jdbc) {
		jdbc.sql("""
				CREATE TABLE IF NOT EXISTS test_side_effect (id UUID PRIMARY KEY, tag TEXT NOT NULL,
				  idempotency_key TEXT NOT NULL, pid BIGINT NOT NULL)""").update();
		jdbc.sql("""
				CREATE TABLE IF NOT EXISTS test_job_started (tag TEXT NOT NULL, pid BIGINT NOT NULL, attempt INT NOT NULL,
				  at TIMESTAMPTZ NOT NULL DEFAULT now())""").update();
		jdbc.sql("""
				CREATE TABLE IF NOT EXISTS test_announced (tag TEXT NOT NULL, attempt INT NOT NULL, pid BIGINT NOT NULL,
				  deliveries INT NOT NULL, PRIMARY KEY (tag, attempt))""").update();
	}
}
