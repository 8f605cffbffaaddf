package com.acme.helpdesk.jobs;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;

/**
 * Publish-to-start latency of a job published in this process (run mode {@code api}) and run by a worker process (a
 * child JVM in run mode {@code worker}), which {@code NOTIFY} wakes: polling alone takes up to 5 s, 2.5 s on average.
 * Jobs go one at a time, each after the one before started. Prints p50, p90 and max; asserts no figure. The same
 * figure within one process is {@link QueueBenchmark}'s. Not a test: run with
 * {@code ./mvnw -B test -Dtest=CrossProcessWakeUpBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.jobs=100}).
 */
@HelpdeskTest
class CrossProcessWakeUpBenchmark {

	static final int JOBS = Integer.getInteger("bench.jobs", 100);
	static final int WARM_UP = 10;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcConnectionDetails database;

	@Test
	void publishToStartLatencyInAnotherProcess() {
		TestJobs.createTables(jdbc);
		try (var worker = HelpdeskProcess.start(HelpdeskApplication.class.getName(), "wake-up-benchmark-worker",
				database.getJdbcUrl(), database.getUsername(), database.getPassword() == null ? "" : database.getPassword(),
				"--helpdesk.run-mode=worker", "--helpdesk.jobs.serve=analytics-update",
				"--helpdesk.sla-monitor.cron=0 0 1 1 *", "--spring.datasource.hikari.maximum-pool-size=10",
				"--spring.modulith.events.republish-outstanding-events-on-restart=false")) {
			for (int i = 0; i < WARM_UP; i++) {
				latency("warm-up-" + i);
			}
			var latencies = new ArrayList<Duration>();
			for (int i = 0; i < JOBS; i++) {
				latencies.add(latency("wake-up-" + i));
			}
			latencies.sort(null);
			System.out.println();
			System.out.printf("=== CrossProcessWakeUpBenchmark (%d jobs, one at a time, %d cores)%n", JOBS,
					Runtime.getRuntime().availableProcessors());
			System.out.printf("publish -> start in the worker process: p50 %d ms, p90 %d ms, max %d ms%n",
					latencies.get(JOBS / 2 - 1).toMillis(), latencies.get(JOBS * 9 / 10 - 1).toMillis(),
					latencies.get(JOBS - 1).toMillis());
			System.out.println();
		}
	}

	private Duration latency(String prefix) {
		var tag = prefix + "-" + UUID.randomUUID();
		var publishedAt = Instant.now();
		dispatcher.publish(Dispatch.of(new TestJobs.Insert(JobQueue.ANALYTICS_UPDATE, tag, false, 0)));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
			.until(() -> jdbc.sql("SELECT count(*) FROM test_job_started WHERE tag = ?").param(tag).query(Long.class)
				.single() == 1);
		var startedAt = jdbc.sql("SELECT at FROM test_job_started WHERE tag = ?").param(tag)
			.query(java.sql.Timestamp.class).single().toInstant();
		return Duration.between(publishedAt, startedAt);
	}
}
