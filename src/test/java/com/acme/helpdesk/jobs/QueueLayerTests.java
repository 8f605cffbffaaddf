package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;

/**
 * The queue layer with real JobRunr servers (one per queue) on the test PostgreSQL. Delays are shrunk by
 * configuration: assignment retries twice at a fixed 1 s; JobRunr polls every 5 s (its minimum).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.minimum-idle=2", "helpdesk.queues.assignment.retries=2",
		"helpdesk.queues.assignment.backoff=fixed", "helpdesk.queues.assignment.backoff-base=PT1S",
		"helpdesk.queues.survey-trigger.backoff-base=PT1S", "helpdesk.sla-monitor.cron=0 0 1 1 *",
		// the two-process tests own this queue
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
// closed afterwards: its job servers would otherwise keep taking the jobs of later test classes
@org.springframework.test.annotation.DirtiesContext
class QueueLayerTests {

	static final Duration POLL = Duration.ofSeconds(5);

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestApi api;

	@BeforeEach
	void setUp() {
		TestJobs.reset();
		TestJobs.createTables(jdbc);
	}

	@Test
	void floodOnOneQueueNeitherDelaysAnotherNorExceedsConcurrency() {
		var flood = IntStream.range(0, 2000)
			.mapToObj(i -> Dispatch.of(new TestJobs.Sleep(JobQueue.NOTIFICATION, "notification", 50, "flood-" + i)))
			.toList();
		dispatcher.publishAll(flood);
		var published = Instant.now();
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "urgent")));

		await().atMost(POLL.plusSeconds(2)).until(() -> TestJobs.STARTED.containsKey("urgent"));
		assertThat(Duration.between(published, TestJobs.STARTED.get("urgent"))).isLessThan(POLL.plusSeconds(2));

		await().atMost(Duration.ofSeconds(90)).until(() -> TestJobs.STARTED.keySet().stream()
			.filter(tag -> tag.startsWith("flood-")).count() == 2000 && TestJobs.RUNNING.get(JobQueue.NOTIFICATION).get() == 0);
		assertThat(TestJobs.maxRunning(JobQueue.NOTIFICATION)).isEqualTo(10);
		assertThat(TestJobs.maxRunning(JobQueue.ESCALATION)).isLessThanOrEqualTo(5);
		// waiting jobs stayed ENQUEUED: none was bounced, so none has more than its three states
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE split_part(jobSignature, '(', 1) LIKE '%$Notification.run' "
				+ "AND jobAsJson LIKE '%flood-%' AND jobAsJson::jsonb -> 'jobHistory' -> 3 IS NOT NULL").query(Long.class).single()).isZero();
	}

	@Test
	void failingJobRunsRetriesPlusOneTimesAtItsDelaysThenMakesOneDeadLetterAndRunsAgainWhenRequeued() {
		var tag = "fail-" + UUID.randomUUID();
		var jobId = dispatcher.publish(Dispatch.of(new TestJobs.Fail(JobQueue.ASSIGNMENT, tag)));

		await().atMost(Duration.ofSeconds(40)).until(() -> deadLetterOf(jobId) != null);
		var attempts = TestJobs.ATTEMPTS.get(tag);
		assertThat(attempts).hasSize(3);
		for (int i = 1; i < attempts.size(); i++) {
			assertThat(Duration.between(attempts.get(i - 1), attempts.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		}
		var letter = deadLetterOf(jobId);
		assertThat(letter.get("queue").asText()).isEqualTo("helpdesk.assignment");
		assertThat(letter.get("jobName").asText()).isEqualTo("always-fails");
		assertThat(letter.get("attempts").asInt()).isEqualTo(3);
		assertThat(letter.get("error").asText()).contains("IllegalStateException").contains("always fails: attempt 3");
		assertThat(letter.get("arguments").get("tag").asText()).isEqualTo(tag);
		assertThat(jdbc.sql("SELECT count(*) FROM job_dead_letter WHERE job_id = ?").param(jobId).query(Long.class).single())
			.isEqualTo(1);

		var requeued = api.post("/ops/v1/dead-letters/" + letter.get("id").asText() + "/requeue", TestApi.OPS_TOKEN, "");
		assertThat(requeued.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(5)).until(() -> TestJobs.ATTEMPTS.get(tag).size() == 4);
		assertThat(Duration.between(attempts.get(2), TestJobs.ATTEMPTS.get(tag).get(3))).isPositive();

		await().atMost(Duration.ofSeconds(40)).until(() -> deadLetterOf(jobId) != null);
		var discarded = api.delete("/ops/v1/dead-letters/" + deadLetterOf(jobId).get("id").asText(), TestApi.OPS_TOKEN);
		assertThat(discarded.status()).isEqualTo(204);
		assertThat(deadLetterOf(jobId)).isNull();
		assertThat(api.delete("/ops/v1/dead-letters/" + UUID.randomUUID(), TestApi.OPS_TOKEN).status()).isEqualTo(404);
		assertThat(api.get("/ops/v1/dead-letters?queue=nope", TestApi.OPS_TOKEN).status()).isEqualTo(400);
	}

	@Test
	void eventDerivedJobPublishedTwiceOrReplayedIsOneJobAndRunsItsSideEffectOnce() {
		var ticketId = UUID.randomUUID();
		var tag = "derived-" + ticketId;
		var first = Dispatch.of(new TestJobs.Insert(JobQueue.SURVEY_TRIGGER, tag, false, 0))
			.derivedFrom("surveys.on-status-changed", ticketId, "RESOLVED");
		var again = Dispatch.of(new TestJobs.Insert(JobQueue.SURVEY_TRIGGER, tag, false, 0))
			.derivedFrom("surveys.on-status-changed", ticketId, "RESOLVED");
		assertThat(again.id()).isEqualTo(first.id());

		dispatcher.publish(first);
		dispatcher.publishAll(java.util.List.of(again, again));
		await().atMost(Duration.ofSeconds(5)).until(() -> sideEffects(tag) == 1 && jobState(first.id()).equals("SUCCEEDED"));
		dispatcher.publish(again); // the event replayed after the job ran
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE id = ?").param(first.id().toString())
			.query(Long.class).single()).isEqualTo(1);

		// the same job run twice (as after a crash): the side effect happens once
		var worker = new TestJobs.InsertWorker(jdbc, idempotency);
		var run = new JobRun(first.id(), first.idempotencyKey(), JobQueue.SURVEY_TRIGGER, "insert", 2);
		org.assertj.core.api.Assertions.assertThatCode(() -> worker.run(first.job(), run)).doesNotThrowAnyException();
		assertThat(sideEffects(tag)).isEqualTo(1);
	}

	@Autowired
	JobIdempotency idempotency;

	@Test
	void badJobArgumentsEndInOneDeadLetterAtOnceWithoutAHalfWrittenSideEffect() {
		var tag = "invalid-" + UUID.randomUUID();
		var jobId = dispatcher.publish(Dispatch.of(new TestJobs.Insert(JobQueue.ASSIGNMENT, tag, true, 0)));

		await().atMost(Duration.ofSeconds(5)).until(() -> deadLetterOf(jobId) != null);
		var letter = deadLetterOf(jobId);
		assertThat(letter.get("attempts").asInt()).isEqualTo(1);
		assertThat(letter.get("error").asText()).contains("InvalidJobArgumentsException").contains("does not exist");
		assertThat(sideEffects(tag)).isZero();
		assertThat(jdbc.sql("SELECT count(*) FROM job_idempotency WHERE idempotency_key = ?").param("job:" + jobId)
			.query(Long.class).single()).isZero();
	}

	@Test
	void jobPublishedInAProcessWithFreeWorkersStartsWithin100MillisecondsAtP99() {
		for (int i = 0; i < 20; i++) { // warm-up: first wake-up threads, class loading, JIT
			var tag = "warm-up-" + i + "-" + UUID.randomUUID();
			dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.CONTEXT_ENRICHMENT, "enrich", 0, tag)));
			await().atMost(POLL.plusSeconds(1)).until(() -> TestJobs.STARTED.containsKey(tag));
		}
		var latencies = new ArrayList<Duration>();
		for (int i = 0; i < 200; i++) {
			var tag = "latency-" + i + "-" + UUID.randomUUID();
			var publishedAt = Instant.now();
			dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.CONTEXT_ENRICHMENT, "enrich", 0, tag)));
			await().atMost(POLL.plusSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> TestJobs.STARTED.containsKey(tag));
			latencies.add(Duration.between(publishedAt, TestJobs.STARTED.get(tag)));
		}
		latencies.sort(null);
		var p50 = latencies.get(99);
		var p99 = latencies.get(197);
		System.out.printf("publish-to-start latency (same process): p50 %d ms, p99 %d ms, max %d ms%n", p50.toMillis(),
				p99.toMillis(), latencies.get(199).toMillis());
		assertThat(p99).isLessThan(Duration.ofMillis(100));
	}

	@Test
	void slaMonitorHasOneRecurringJobRunsOnDemandAndSkipsASweepWhileAnotherHoldsTheLock() throws Exception {
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = 'sla-monitor-cron'").query(Long.class)
			.single()).isEqualTo(1);

		var response = api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "");
		assertThat(response.status()).isEqualTo(202);
		var jobId = UUID.fromString(response.body().get("jobId").asText());
		await().atMost(Duration.ofSeconds(5)).until(() -> jobState(jobId).equals("SUCCEEDED"));

		var skippedBefore = sweeps("skipped");
		try (var connection = java.sql.DriverManager.getConnection(com.acme.helpdesk.support.TestDatabase.url(),
				com.acme.helpdesk.support.TestDatabase.user(), com.acme.helpdesk.support.TestDatabase.password());
				var lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
			lock.setLong(1, com.acme.helpdesk.jobs.internal.RunSlaMonitor.LOCK_KEY);
			lock.execute();
			var second = UUID.fromString(api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "").body().get("jobId").asText());
			await().atMost(Duration.ofSeconds(5)).until(() -> jobState(second).equals("SUCCEEDED"));
			assertThat(sweeps("skipped")).isEqualTo(skippedBefore + 1);
		}
	}

	@Test
	void queueMetricsAreExposedForPrometheus() {
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "metrics")));
		await().atMost(Duration.ofSeconds(5)).until(() -> TestJobs.STARTED.containsKey("metrics"));
		var body = api.getText("/actuator/prometheus");
		assertThat(body).contains("helpdesk_jobs_enqueued_total{queue=\"helpdesk.escalation\"}")
			.contains("helpdesk_jobs_running{queue=\"helpdesk.notification\"}")
			.contains("helpdesk_jobs_succeeded_total{queue=\"helpdesk.escalation\"}")
			.contains("helpdesk_jobs_dead_lettered_total{queue=\"helpdesk.assignment\"}")
			.contains("helpdesk_jobs_wait_seconds_count{queue=\"helpdesk.escalation\"}");
	}

	private double sweeps(String outcome) {
		var text = api.getText("/actuator/prometheus");
		return text.lines()
			.filter(line -> line.startsWith("helpdesk_sla_sweeps_total{outcome=\"" + outcome + "\""))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElse(0);
	}

	private long sideEffects(String tag) {
		return jdbc.sql("SELECT count(*) FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).single();
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional().orElse("NONE");
	}

	private com.fasterxml.jackson.databind.JsonNode deadLetterOf(UUID jobId) {
		var response = api.get("/ops/v1/dead-letters?size=500", TestApi.OPS_TOKEN);
		for (var item : response.body().get("items")) {
			if (item.get("jobId").asText().equals(jobId.toString())) {
				return item;
			}
		}
		return null;
	}
}
