package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.stream.IntStream;

import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.helpdesk.assignment.AssignmentJob;
import com.acme.helpdesk.notifications.NotificationJob;
import com.acme.helpdesk.sla.EscalationJob;
import com.acme.helpdesk.surveys.SurveyTriggerJob;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;

/**
 * The queue layer with real JobRunr servers (one per queue) on the test PostgreSQL. Delays are shrunk by
 * configuration: assignment retries twice at a fixed 1 s; JobRunr polls every 5 s (its minimum). The JobRunr dashboard
 * runs too, on a free port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "helpdesk.run-mode=all", "jobrunr.dashboard.enabled=true",
		"jobrunr.dashboard.username=" + QueueLayerTests.DASHBOARD_USER, "jobrunr.dashboard.password=" + QueueLayerTests.DASHBOARD_PASSWORD,
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.minimum-idle=2", "helpdesk.queues.assignment.retries=2",
		"helpdesk.queues.assignment.backoff=fixed", "helpdesk.queues.assignment.backoff-base=PT1S",
		"helpdesk.queues.survey-trigger.backoff-base=PT1S", "helpdesk.sla-monitor.cron=0 0 1 1 *",
		// the two-process tests own this queue
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
// closed afterwards: its job servers would otherwise keep polling beside later test classes
@org.springframework.test.annotation.DirtiesContext
class QueueLayerTests {

	static final String DASHBOARD_USER = "dashboard-ops";
	static final String DASHBOARD_PASSWORD = "not-the-default";
	static final int DASHBOARD_PORT = freePort();
	static final java.net.http.HttpClient DASHBOARD_CLIENT = java.net.http.HttpClient.newHttpClient();

	@DynamicPropertySource
	static void dashboardPort(DynamicPropertyRegistry registry) {
		registry.add("jobrunr.dashboard.port", () -> DASHBOARD_PORT);
	}

	@Autowired
	StorageProvider storage;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestApi api;

	@Autowired
	JdbcConnectionDetails database;

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
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "urgent")));

		await().atMost(Duration.ofSeconds(180)).until(() -> TestJobs.STARTED.containsKey("urgent")
				&& TestJobs.STARTED.keySet().stream().filter(tag -> tag.startsWith("flood-")).count() == 2000
				&& TestJobs.RUNNING.get(JobQueue.NOTIFICATION).get() == 0);
		var urgentStarted = TestJobs.STARTED.get("urgent");
		// the flood takes 10 workers at least 2000 x 50 ms / 10 = 10 s: a job waiting for it would start after it
		assertThat(TestJobs.STARTED.entrySet().stream()
			.filter(started -> started.getKey().startsWith("flood-") && started.getValue().isAfter(urgentStarted))
			.count()).as("flood jobs started after the escalation job").isGreaterThan(500);
		assertThat(TestJobs.maxRunning(JobQueue.NOTIFICATION)).isEqualTo(10);
		assertThat(TestJobs.maxRunning(JobQueue.ESCALATION)).isLessThanOrEqualTo(5);
		// waiting jobs stayed ENQUEUED: none was bounced, so none has more than its three states
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE split_part(jobSignature, '(', 1) LIKE '%$Notification.run' "
				+ "AND jobAsJson LIKE '%flood-%' AND jobAsJson::jsonb -> 'jobHistory' -> 3 IS NOT NULL").query(Long.class).single()).isZero();
	}

	/**
	 * JobRunr makes its workers virtual threads from Java 21 on; the JVM's thread list names platform threads only.
	 * On Java 17 this holds either way, so {@code .ci/run} also runs it on Java 25, where it fails without the setting.
	 */
	@Test
	void jobWorkersArePlatformThreadsOnEveryJdk() {
		var tag = "thread-" + UUID.randomUUID();
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ASSIGNMENT, "assign", 0, tag)));

		await().atMost(Duration.ofSeconds(30)).until(() -> TestJobs.THREADS.containsKey(tag));
		var worker = TestJobs.THREADS.get(tag);
		assertThat(ManagementFactory.getThreadMXBean().getThreadInfo(worker.getId()))
			.as("%s in the JVM's list of platform threads", worker)
			.isNotNull();
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
		await().atMost(Duration.ofSeconds(30)).until(() -> TestJobs.ATTEMPTS.get(tag).size() == 4);

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
		await().atMost(Duration.ofSeconds(30)).until(() -> sideEffects(tag) == 1 && jobState(first.id()).equals("SUCCEEDED"));
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

		await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(jobId) != null);
		var letter = deadLetterOf(jobId);
		assertThat(letter.get("attempts").asInt()).isEqualTo(1);
		assertThat(letter.get("error").asText()).contains("InvalidJobArgumentsException").contains("does not exist");
		assertThat(sideEffects(tag)).isZero();
		assertThat(jdbc.sql("SELECT count(*) FROM job_idempotency WHERE idempotency_key = ?").param("job:" + jobId)
			.query(Long.class).single()).isZero();
	}

	@Test
	void slaMonitorHasOneRecurringJobRunsOnDemandAndSkipsASweepWhileAnotherHoldsTheLock() throws Exception {
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = 'sla-monitor-cron'").query(Long.class)
			.single()).isEqualTo(1);

		var response = api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "");
		assertThat(response.status()).isEqualTo(202);
		var jobId = UUID.fromString(response.body().get("jobId").asText());
		await().atMost(Duration.ofSeconds(30)).until(() -> jobState(jobId).equals("SUCCEEDED"));

		var skippedBefore = sweeps("skipped");
		// a connection of its own, outside the pool, on the database of this context (a container under Docker)
		try (var connection = java.sql.DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
				database.getPassword());
				var lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
			lock.setLong(1, 0x534C415F4D4F4EL /* the SLA monitor's advisory lock (sla.RunSlaMonitor.LOCK_KEY) */);
			lock.execute();
			var second = UUID.fromString(api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "").body().get("jobId").asText());
			await().atMost(Duration.ofSeconds(30)).until(() -> jobState(second).equals("SUCCEEDED"));
			assertThat(sweeps("skipped")).isEqualTo(skippedBefore + 1);
		}
	}

	@Test
	void queueMetricsCountEachOutcomeOfItsQueueAndShowInPrometheus() {
		var before = api.getText("/actuator/prometheus");
		var tag = "metrics-" + UUID.randomUUID();
		var publishing = System.nanoTime();
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, tag)));
		var invalid = dispatcher.publish(Dispatch.of(new TestJobs.Insert(JobQueue.ASSIGNMENT, tag, true, 0)));

		await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterOf(invalid) != null);
		var succeededBefore = metric(before, "helpdesk_jobs_succeeded_total", "helpdesk.escalation");
		await().atMost(Duration.ofSeconds(30)).until(() -> metric(api.getText("/actuator/prometheus"),
				"helpdesk_jobs_succeeded_total", "helpdesk.escalation") > succeededBefore);
		var after = api.getText("/actuator/prometheus");
		assertThat(increase(before, after, "helpdesk_jobs_enqueued_total", "helpdesk.escalation")).isEqualTo(1);
		assertThat(increase(before, after, "helpdesk_jobs_enqueued_total", "helpdesk.assignment")).isEqualTo(1);
		assertThat(increase(before, after, "helpdesk_jobs_succeeded_total", "helpdesk.escalation")).isEqualTo(1);
		assertThat(unchanged(before, after, "helpdesk_jobs_failed_total", "helpdesk.escalation")).isTrue();
		assertThat(increase(before, after, "helpdesk_jobs_failed_total", "helpdesk.assignment")).isEqualTo(1);
		assertThat(unchanged(before, after, "helpdesk_jobs_succeeded_total", "helpdesk.assignment")).isTrue();
		assertThat(increase(before, after, "helpdesk_jobs_dead_lettered_total", "helpdesk.assignment")).isEqualTo(1);
		assertThat(unchanged(before, after, "helpdesk_jobs_dead_lettered_total", "helpdesk.escalation")).isTrue();
		assertThat(increase(before, after, "helpdesk_jobs_wait_seconds_count", "helpdesk.escalation")).isEqualTo(1);
		assertThat(increase(before, after, "helpdesk_jobs_wait_seconds_count", "helpdesk.assignment")).isEqualTo(1);
		var elapsedSeconds = (System.nanoTime() - publishing) / 1e9;
		assertThat(increase(before, after, "helpdesk_jobs_wait_seconds_sum", "helpdesk.escalation"))
			.as("the job's wait, in seconds: some, and no more than passed since it was published")
			.isPositive()
			.isLessThanOrEqualTo(elapsedSeconds);
		// (this queue's gauge only: the other queues' jobs of this class may still run)
		assertThat(metric(after, "helpdesk_jobs_running", "helpdesk.escalation")).isZero();
	}

	@Test
	void everyStoredJobCarriesItsQueueAsALabelAndAReadableName() {
		var merchantId = UUID.randomUUID();
		var ticketId = UUID.randomUUID();
		// an hour away: stored and shown, but run by no server during the test
		var later = Duration.ofHours(1);
		var escalation = dispatcher.publish(EscalationJob.process(merchantId, ticketId, 2).delayedBy(later));
		var notification = dispatcher.publish(NotificationJob.digest(merchantId, ticketId).delayedBy(later));
		var assignment = dispatcher.publish(AssignmentJob.assign(merchantId, ticketId).delayedBy(later));
		var survey = dispatcher.publish(SurveyTriggerJob.triggerAfter(merchantId, ticketId, later));
		try {
			assertThat(storage.getJobById(escalation).getLabels()).containsExactly("queue:helpdesk.escalation", "job:escalation");
			assertThat(storage.getJobById(escalation).getJobName()).isEqualTo("escalation level 2 ticket " + ticketId);
			assertThat(storage.getJobById(notification).getLabels())
				.containsExactly("queue:helpdesk.notification", "job:notification-digest");
			assertThat(storage.getJobById(notification).getJobName()).contains("digest").contains(ticketId.toString());
			assertThat(storage.getJobById(assignment).getLabels()).containsExactly("queue:helpdesk.assignment", "job:assign");
			assertThat(storage.getJobById(assignment).getJobName()).isEqualTo("assign ticket " + ticketId);
			assertThat(storage.getJobById(survey).getLabels())
				.containsExactly("queue:helpdesk.survey-trigger", "job:survey-trigger");
			assertThat(storage.getJobById(survey).getJobName()).isEqualTo("survey-trigger ticket " + ticketId);

			// what the dashboard shows of a job
			var shown = dashboard("/api/jobs/" + escalation, DASHBOARD_USER, DASHBOARD_PASSWORD);
			assertThat(shown.statusCode()).isEqualTo(200);
			var json = json(shown.body());
			assertThat(json.get("jobName").asText()).isEqualTo("escalation level 2 ticket " + ticketId);
			assertThat(json.get("labels").toString()).contains("queue:helpdesk.escalation");
		}
		finally {
			java.util.List.of(escalation, notification, assignment, survey).forEach(storage::deletePermanently);
		}
	}

	@Test
	void dashboardRefusesRequestsWithoutItsCredentialsAndReportsNoUsage() throws Exception {
		assertThat(dashboard("/api/jobs?state=SCHEDULED&offset=0&limit=1", null, null).statusCode()).isEqualTo(401);
		assertThat(dashboard("/dashboard/", null, null).statusCode()).isEqualTo(401);
		assertThat(dashboard("/api/jobs?state=SCHEDULED&offset=0&limit=1", DASHBOARD_USER, "change-me").statusCode())
			.isEqualTo(401);
		assertThat(dashboard("/api/jobs?state=SCHEDULED&offset=0&limit=1", "admin", "change-me").statusCode()).isEqualTo(401);
		assertThat(dashboard("/api/jobs?state=SCHEDULED&offset=0&limit=1", DASHBOARD_USER, DASHBOARD_PASSWORD).statusCode())
			.isEqualTo(200);

		// the cluster id exists (the job servers run), so JobRunr would report usage if it were allowed to
		assertThat(storage.getMetadata("id", "cluster")).isNotNull();
		var version = dashboard("/api/version", DASHBOARD_USER, DASHBOARD_PASSWORD);
		assertThat(version.statusCode()).isEqualTo(200);
		var json = json(version.body());
		assertThat(json.get("allowAnonymousDataUsage").asBoolean()).isFalse();
		assertThat(json.path("clusterId").isNull() || json.path("clusterId").isMissingNode()).isTrue();
	}

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@Test
	void jobsPublishedInATransactionCommitWithItAndAreGoneWhenItRollsBack() throws Exception {
		var committed = Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "tx-" + UUID.randomUUID()));
		var rolledBack = Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "tx-" + UUID.randomUUID()));
		var afterCommit = Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "tx-" + UUID.randomUUID()));
		try (var other = java.sql.DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
				database.getPassword())) {
			var seenInAfterCommit = new java.util.concurrent.atomic.AtomicLong(-1);
			transactions.executeWithoutResult(status -> {
				dispatcher.publish(committed);
				assertThat(rowsOf(other, committed.id())).as("seen from another connection before the commit").isZero();
				// published once this transaction has committed: written on a connection of its own
				org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
						new org.springframework.transaction.support.TransactionSynchronization() {
							@Override
							public void afterCommit() {
								dispatcher.publish(afterCommit);
								seenInAfterCommit.set(rowsOf(other, afterCommit.id()));
							}
						});
			});
			assertThat(rowsOf(other, committed.id())).isEqualTo(1);
			assertThat(seenInAfterCommit).as("committed when publish returned").hasValue(1);

			transactions.executeWithoutResult(status -> {
				dispatcher.publish(rolledBack);
				status.setRollbackOnly();
			});
			assertThat(rowsOf(other, rolledBack.id())).isZero();
		}
		// (how soon they start, woken once committed, is QueueBenchmark's figure)
		await().atMost(Duration.ofSeconds(30)).until(() -> TestJobs.STARTED.containsKey(committed.job().tag())
				&& TestJobs.STARTED.containsKey(afterCommit.job().tag()));
		assertThat(TestJobs.STARTED).doesNotContainKey(rolledBack.job().tag());
	}

	private static long rowsOf(java.sql.Connection connection, UUID jobId) {
		try (var statement = connection.prepareStatement("SELECT count(*) FROM jobrunr_jobs WHERE id = ?")) {
			statement.setString(1, jobId.toString());
			try (var rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
		catch (java.sql.SQLException e) {
			throw new IllegalStateException(e);
		}
	}

	@Test
	void orphanOfACrashedServerThatRanOutOfRetriesBecomesADeadLetter() {
		var tag = "orphan-" + UUID.randomUUID();
		// stored and held back, then rewritten as a job whose server died during its last attempt: two failed
		// attempts (assignment retries twice here), a third one PROCESSING since long before the server timeout
		var jobId = dispatcher.publish(Dispatch.of(new TestJobs.Fail(JobQueue.ASSIGNMENT, tag)).delayedBy(Duration.ofHours(1)));
		var stored = storage.getJobById(jobId);
		var crashedServer = UUID.randomUUID();
		var longAgo = Instant.now().minus(Duration.ofMinutes(10));
		var history = new ArrayList<>(stored.getJobStates());
		for (int attempt = 1; attempt <= 3; attempt++) {
			history.add(new EnqueuedState(longAgo));
			history.add(new ProcessingState(crashedServer, "helpdesk.assignment@crashed-host:1", longAgo, longAgo));
			if (attempt < 3) {
				history.add(new FailedState("attempt " + attempt, new IllegalStateException("always fails: attempt " + attempt)));
				history.add(new ScheduledState(longAgo, "Retry " + attempt + " of 2"));
			}
		}
		var orphan = new org.jobrunr.jobs.Job(jobId, stored.getVersion(), stored.getJobDetails(), history,
				new java.util.concurrent.ConcurrentHashMap<>(stored.getMetadata()));
		orphan.setJobName(stored.getJobName());
		orphan.setLabels(stored.getLabels());
		var deadLetteredBefore = metric(api.getText("/actuator/prometheus"), "helpdesk_jobs_dead_lettered_total",
				"helpdesk.assignment");
		storage.save(orphan);

		// the master's orphan check runs once per poll and fails jobs not updated within the server timeout
		await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterOf(jobId) != null);
		var letter = deadLetterOf(jobId);
		assertThat(letter.get("queue").asText()).isEqualTo("helpdesk.assignment");
		assertThat(letter.get("jobName").asText()).isEqualTo("always-fails");
		assertThat(letter.get("attempts").asInt()).isEqualTo(3);
		assertThat(letter.get("error").asText()).contains("IllegalJobThreadStateException");
		assertThat(letter.get("arguments").get("tag").asText()).isEqualTo(tag);
		assertThat(jobState(jobId)).isEqualTo("FAILED");
		assertThat(metric(api.getText("/actuator/prometheus"), "helpdesk_jobs_dead_lettered_total", "helpdesk.assignment"))
			.isEqualTo(deadLetteredBefore + 1);
		// not retried: the orphaned run was its last attempt
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> jobState(jobId).equals("FAILED"));
		assertThat(TestJobs.ATTEMPTS.get(tag)).isNull();
	}

	/** The value of the series {@code name{queue="<queue>"}} in a Prometheus scrape; 0 when not (yet) registered. */
	private static double metric(String scrape, String name, String queue) {
		var prefix = name + "{queue=\"" + queue + "\"} ";
		return scrape.lines()
			.filter(line -> line.startsWith(prefix))
			.mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
			.findFirst()
			.orElse(0);
	}

	/** How much a series grew between two scrapes; fails when the later scrape does not show it. */
	private static double increase(String before, String after, String name, String queue) {
		assertThat(after).as(name + " of " + queue).contains(name + "{queue=\"" + queue + "\"} ");
		return metric(after, name, queue) - metric(before, name, queue);
	}

	/** Whether a series has the same value in both scrapes (0 when registered in neither). */
	private static boolean unchanged(String before, String after, String name, String queue) {
		return metric(after, name, queue) == metric(before, name, queue);
	}

	private static java.net.http.HttpResponse<String> dashboard(String path, String user, String password) {
		var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + DASHBOARD_PORT + path))
			.timeout(Duration.ofSeconds(10));
		if (user != null) {
			request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		try {
			return DASHBOARD_CLIENT.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static com.fasterxml.jackson.databind.JsonNode json(String body) {
		try {
			return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private static int freePort() {
		try (var socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
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
