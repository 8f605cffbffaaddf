package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Two worker processes (child JVMs in run mode {@code worker}) and this test's application in run mode {@code api},
 * on one database. The workers serve the queue {@code helpdesk.analytics-update}, which no other test context serves.
 */
@HelpdeskTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TwoWorkerProcessesTests {

	static final List<Worker> WORKERS = new ArrayList<>();
	static final HttpClient HTTP = HttpClient.newHttpClient();

	record Worker(Process process, int port) {
	}

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestApi api;

	@Autowired
	com.acme.helpdesk.jobs.internal.QueueServers queueServers;

	@Autowired
	JdbcConnectionDetails database;

	@BeforeAll
	static void startWorkers(@Autowired JdbcConnectionDetails database) throws Exception {
		for (int i = 0; i < 2; i++) {
			int port;
			try (var socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			var log = new File("target/worker-" + i + ".log");
			var command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-XX:TieredStopAtLevel=1",
					"-cp", System.getProperty("java.class.path"), HelpdeskApplication.class.getName(),
					"--spring.datasource.url=" + database.getJdbcUrl(), "--spring.datasource.username=" + database.getUsername(),
					"--spring.datasource.password=" + (database.getPassword() == null ? "" : database.getPassword()),
					"--server.port=" + port,
					"--helpdesk.run-mode=worker", "--helpdesk.ops-token=" + TestApi.OPS_TOKEN,
					"--jobrunr.dashboard.enabled=false", "--helpdesk.jobs.serve=analytics-update",
					"--helpdesk.queues.analytics-update.backoff-base=PT1S", "--helpdesk.sla-monitor.cron=0 0 1 1 *",
					"--spring.datasource.hikari.maximum-pool-size=10", "--spring.datasource.hikari.minimum-idle=2",
					"--spring.modulith.events.republish-outstanding-events-on-restart=false");
			var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
			WORKERS.add(new Worker(process, port));
		}
		for (var worker : WORKERS) {
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
				assertThat(worker.process().isAlive()).as("worker process alive").isTrue();
				return status(worker, "/actuator/health") == 200;
			});
		}
	}

	@AfterAll
	static void stopWorkers() throws InterruptedException {
		// stopped, not killed: their job servers deregister, so none stays the cluster's master (and holds back
		// scheduled jobs) for the server timeout after this class
		WORKERS.forEach(worker -> worker.process().destroy());
		for (var worker : WORKERS) {
			if (!worker.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				worker.process().destroyForcibly();
			}
		}
		WORKERS.clear();
	}

	static int status(Worker worker, String path) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker.port() + path)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception e) {
			return -1;
		}
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void workerModeServesNoApiAndApiModeStartsNoJobServer() {
		for (var worker : WORKERS) {
			assertThat(status(worker, "/api/v1/tickets")).isEqualTo(404);
			assertThat(status(worker, "/actuator/health")).isEqualTo(200);
		}
		var servers = jdbc.sql("SELECT name FROM jobrunr_backgroundjobservers").query(String.class).list();
		assertThat(servers).anyMatch(name -> name.endsWith(":" + WORKERS.get(0).process().pid()))
			.anyMatch(name -> name.endsWith(":" + WORKERS.get(1).process().pid()));
		assertThat(servers).noneMatch(name -> name.startsWith("helpdesk.analytics-update@")
				&& name.endsWith(":" + ProcessHandle.current().pid()));
		assertThat(queueServers.serverCount()).isZero();
		assertThat(api.newMerchant()).isNotNull(); // this process serves the API
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void twoWorkerProcessesShareTheJobsAndMakeOneSlaMonitorSchedule() {
		TestJobs.createTables(jdbc);
		var tag = "shared-" + UUID.randomUUID();
		dispatcher.publishAll(IntStream.range(0, 80)
			.mapToObj(i -> Dispatch.of(new TestJobs.Insert(JobQueue.ANALYTICS_UPDATE, tag, false, 0)))
			.toList());
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.sql("SELECT count(*) FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).single() == 80);
		var pids = jdbc.sql("SELECT DISTINCT pid FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).list();
		assertThat(pids).containsExactlyInAnyOrder(WORKERS.get(0).process().pid(), WORKERS.get(1).process().pid());
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = 'sla-monitor-cron'").query(Long.class)
			.single()).isEqualTo(1);
	}

	/** How soon such a job starts is a figure of {@code CrossProcessWakeUpBenchmark}, not of this test. */
	@Test
	@org.junit.jupiter.api.Order(3)
	void jobPublishedByAnotherProcessIsAnnouncedThroughNotifyAndStartsInAWorker() throws Exception {
		TestJobs.createTables(jdbc);
		var tag = "notified-" + UUID.randomUUID();
		try (var listening = java.sql.DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
				database.getPassword())) {
			listening.setAutoCommit(true);
			try (var statement = listening.createStatement()) {
				statement.execute("LISTEN helpdesk_jobs"); // the workers' channel (jobs.internal.JobNotifications)
			}
			var announced = new java.util.concurrent.CopyOnWriteArrayList<String>();
			var pg = listening.unwrap(org.postgresql.PGConnection.class);

			dispatcher.publish(Dispatch.of(new TestJobs.Insert(JobQueue.ANALYTICS_UPDATE, tag, false, 0)));

			await().atMost(Duration.ofSeconds(30)).until(() -> {
				var notifications = pg.getNotifications(100);
				if (notifications != null) {
					java.util.Arrays.stream(notifications).map(org.postgresql.PGNotification::getParameter).forEach(announced::add);
				}
				return announced.stream().anyMatch(parameter -> parameter.startsWith(JobQueue.ANALYTICS_UPDATE.queueName() + "|"));
			});
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.sql("SELECT count(*) FROM test_job_started WHERE tag = ?").param(tag).query(Long.class).single() == 1);
		assertThat(jdbc.sql("SELECT pid FROM test_job_started WHERE tag = ?").param(tag).query(Long.class).single())
			.isIn(WORKERS.get(0).process().pid(), WORKERS.get(1).process().pid());
	}

	@Test
	@org.junit.jupiter.api.Order(4)
	void jobOfAWorkerKilledMidJobRunsAgainElsewhereAndItsSideEffectHappensOnce() {
		TestJobs.createTables(jdbc);
		var tag = "killed-" + UUID.randomUUID();
		dispatcher.publish(Dispatch.of(new TestJobs.Insert(JobQueue.ANALYTICS_UPDATE, tag, false, 120_000)));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> jdbc.sql("SELECT count(*) FROM test_job_started WHERE tag = ?").param(tag).query(Long.class).single() == 1);
		var pid = jdbc.sql("SELECT pid FROM test_job_started WHERE tag = ?").param(tag).query(Long.class).single();
		var victim = WORKERS.stream().filter(worker -> worker.process().pid() == pid).findFirst().orElseThrow();
		victim.process().destroyForcibly(); // SIGKILL

		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
			.until(() -> jdbc.sql("SELECT count(*) FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).single() == 1);
		assertThat(jdbc.sql("SELECT pid FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).single()).isNotEqualTo(pid);
		assertThat(jdbc.sql("SELECT max(attempt) FROM test_job_started WHERE tag = ?").param(tag).query(Integer.class).single())
			.isEqualTo(2);
	}
}
