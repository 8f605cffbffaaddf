package com.acme.helpdesk.jobs;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.internal.QueueServers;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;

/**
 * Raw JobRunr (one server, 54 workers, poll 5 s, jobs enqueued with {@code JobScheduler}) against the queue layer
 * (queue {@code context-enrichment} set to 54 workers, jobs published with {@link JobDispatcher}), one after the
 * other on the same database: throughput of no-op and one-insert jobs, and publish-to-start latency of jobs published
 * one at a time into an idle server. Each side first runs 2,000 no-op jobs to warm up. Not a test: run with
 * {@code ./mvnw -B test -Dtest=QueueBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest(properties = { "helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false",
		"helpdesk.run-mode=all", "spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=80", "helpdesk.queues.context-enrichment.concurrency=54",
		"helpdesk.jobs.serve=context-enrichment", "helpdesk.sla-monitor.cron=0 0 1 1 *" })
@Import({ TestDatabaseConfiguration.class, QueueBenchmark.BenchJobs.class, QueueBenchmark.NoopWorker.class,
		QueueBenchmark.InsertWorker.class })
class QueueBenchmark {

	static final int WORKERS = 54;
	static final int NOOP_JOBS = 10_000;
	static final int INSERT_JOBS = 5_000;
	static final int LATENCY_JOBS = 200;

	static final Map<UUID, Instant> STARTED = new ConcurrentHashMap<>();
	static final Map<UUID, Instant> FINISHED = new ConcurrentHashMap<>();

	public record Noop(UUID id) implements HelpdeskJob {
		@Override
		public JobQueue queue() {
			return JobQueue.CONTEXT_ENRICHMENT;
		}

		@Override
		public String jobName() {
			return "bench-noop";
		}
	}

	public record Insert(UUID id) implements HelpdeskJob {
		@Override
		public JobQueue queue() {
			return JobQueue.CONTEXT_ENRICHMENT;
		}

		@Override
		public String jobName() {
			return "bench-insert";
		}
	}

	/** The job bodies, for raw JobRunr (its methods) and for the queue layer (its workers). */
	public static class BenchJobs {

		private final JdbcClient jdbc;

		BenchJobs(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		public void noop(UUID id) {
			STARTED.put(id, Instant.now());
			FINISHED.put(id, Instant.now());
		}

		public void insert(UUID id) {
			STARTED.put(id, Instant.now());
			jdbc.sql("INSERT INTO bench_row (id) VALUES (?)").param(id).update();
			FINISHED.put(id, Instant.now());
		}
	}

	static class NoopWorker implements JobWorker<Noop> {
		private final BenchJobs jobs;

		NoopWorker(BenchJobs jobs) {
			this.jobs = jobs;
		}

		@Override
		public Class<Noop> jobType() {
			return Noop.class;
		}

		@Override
		public void run(Noop job, JobRun run) {
			jobs.noop(job.id());
		}
	}

	static class InsertWorker implements JobWorker<Insert> {
		private final BenchJobs jobs;

		InsertWorker(BenchJobs jobs) {
			this.jobs = jobs;
		}

		@Override
		public Class<Insert> jobType() {
			return Insert.class;
		}

		@Override
		public void run(Insert job, JobRun run) {
			jobs.insert(job.id());
		}
	}

	record Result(double throughput, double enqueuePerSecond) {
	}

	@Autowired
	JobDispatcher dispatcher;
	@Autowired
	JobScheduler scheduler;
	@Autowired
	QueueServers queueServers;
	@Autowired
	StorageProvider storage;
	@Autowired
	JsonMapper jobRunrJsonMapper;
	@Autowired
	JobActivator activator;
	@Autowired
	JdbcClient jdbc;

	@Test
	void rawJobRunrAgainstTheQueueLayer() {
		jdbc.sql("CREATE TABLE IF NOT EXISTS bench_row (id UUID PRIMARY KEY)").update();

		queueServers.stop();
		var raw = new BackgroundJobServer(storage, jobRunrJsonMapper, activator,
				BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
					.andName("raw-benchmark")
					.andWorkerCount(WORKERS)
					.andPollIntervalInSeconds(5));
		raw.setJobFilters(List.of(new RetryFilter()));
		raw.start();
		await().atMost(Duration.ofSeconds(15)).until(raw::isAnnounced);
		throughput(2_000, ids -> scheduler.<BenchJobs, UUID>enqueue(ids.stream(), (jobs, id) -> jobs.noop(id))); // warm-up
		var rawNoop = throughput(NOOP_JOBS, ids -> scheduler.<BenchJobs, UUID>enqueue(ids.stream(), (jobs, id) -> jobs.noop(id)));
		var rawInsert = throughput(INSERT_JOBS, ids -> scheduler.<BenchJobs, UUID>enqueue(ids.stream(), (jobs, id) -> jobs.insert(id)));
		var rawLatency = latency(id -> scheduler.<BenchJobs>enqueue(jobs -> jobs.noop(id)));
		raw.stop();

		queueServers.start();
		throughput(2_000, ids -> dispatcher.publishAll(ids.stream().map(id -> Dispatch.of(new Noop(id))).toList())); // warm-up
		var queueNoop = throughput(NOOP_JOBS, ids -> dispatcher.publishAll(ids.stream().map(id -> Dispatch.of(new Noop(id))).toList()));
		var queueInsert = throughput(INSERT_JOBS, ids -> dispatcher.publishAll(ids.stream().map(id -> Dispatch.of(new Insert(id))).toList()));
		var queueLatency = latency(id -> dispatcher.publish(Dispatch.of(new Noop(id))));

		System.out.println();
		System.out.println("=== QueueBenchmark (" + WORKERS + " workers, poll 5 s, " + Runtime.getRuntime().availableProcessors() + " cores)");
		System.out.printf("%-34s %14s %14s %8s%n", "", "raw JobRunr", "queue layer", "ratio");
		row("no-op jobs/s (" + NOOP_JOBS + ")", rawNoop.throughput(), queueNoop.throughput());
		row("one-insert jobs/s (" + INSERT_JOBS + ")", rawInsert.throughput(), queueInsert.throughput());
		row("batch enqueue jobs/s (no-op)", rawNoop.enqueuePerSecond(), queueNoop.enqueuePerSecond());
		System.out.printf("%-34s %14s %14s%n", "enqueue->start p50 (1 per 50 ms)", rawLatency[0] + " ms", queueLatency[0] + " ms");
		System.out.printf("%-34s %14s %14s%n", "enqueue->start p99 (1 per 50 ms)", rawLatency[1] + " ms", queueLatency[1] + " ms");
		System.out.println();
		org.assertj.core.api.Assertions.assertThat(jdbc.sql("SELECT count(*) FROM bench_row").query(Long.class).single())
			.as("every one-insert job of both sides inserted its row")
			.isGreaterThanOrEqualTo(2L * INSERT_JOBS);
	}

	private static void row(String label, double raw, double queue) {
		System.out.printf("%-34s %14.0f %14.0f %7.0f%%%n", label, raw, queue, 100 * queue / raw);
	}

	/** Enqueues {@code count} jobs at once; jobs/s from the first start to the last finish. */
	private Result throughput(int count, Consumer<List<UUID>> enqueue) {
		STARTED.clear();
		FINISHED.clear();
		var ids = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
		var before = System.nanoTime();
		enqueue.accept(ids);
		var enqueueSeconds = (System.nanoTime() - before) / 1e9;
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> FINISHED.size() >= count);
		var first = STARTED.values().stream().min(Instant::compareTo).orElseThrow();
		var last = FINISHED.values().stream().max(Instant::compareTo).orElseThrow();
		return new Result(count / (Duration.between(first, last).toNanos() / 1e9), count / enqueueSeconds);
	}

	/** Publishes a job every 50 ms (one at a time, into an otherwise idle server); p50 and p99 of enqueue to start, in ms. */
	private long[] latency(Consumer<UUID> enqueue) {
		STARTED.clear();
		FINISHED.clear();
		var enqueuedAt = new java.util.LinkedHashMap<UUID, Instant>();
		for (int i = 0; i < LATENCY_JOBS; i++) {
			var id = UUID.randomUUID();
			enqueuedAt.put(id, Instant.now());
			enqueue.accept(id);
			java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> STARTED.keySet().containsAll(enqueuedAt.keySet()));
		var latencies = new ArrayList<Long>();
		enqueuedAt.forEach((id, at) -> latencies.add(Duration.between(at, STARTED.get(id)).toMillis()));
		latencies.sort(null);
		return new long[] { latencies.get(LATENCY_JOBS / 2 - 1), latencies.get(LATENCY_JOBS * 99 / 100 - 1) };
	}
}
