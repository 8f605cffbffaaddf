package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.StalledListenersHelpdesk;
import com.acme.helpdesk.support.TestApi;

/**
 * Two worker processes (child JVMs in run mode {@code worker}) and this test's application in run mode {@code api},
 * on one database. The workers serve the queue {@code helpdesk.analytics-update}, which no other test context serves,
 * one job at a time each; their asynchronous listeners never run ({@link StalledListenersHelpdesk}), so every
 * publication they write stays incomplete until another process takes it over, and they take over none themselves.
 */
@HelpdeskTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TwoWorkerProcessesTests {

	static final List<HelpdeskProcess> WORKERS = new ArrayList<>();
	static final HttpClient HTTP = HttpClient.newHttpClient();

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
	static void startWorkers(@Autowired JdbcConnectionDetails database) {
		for (int i = 0; i < 2; i++) {
			WORKERS.add(HelpdeskProcess.launch(HelpdeskApplication.class.getName(), "worker-" + i,
					database.getJdbcUrl(), database.getUsername(),
					database.getPassword() == null ? "" : database.getPassword(), StalledListenersHelpdesk.ARGUMENTS.get(0),
					StalledListenersHelpdesk.ARGUMENTS.get(1), "--helpdesk.run-mode=worker",
					"--helpdesk.jobs.serve=analytics-update", "--helpdesk.queues.analytics-update.concurrency=1",
					"--helpdesk.queues.analytics-update.backoff-base=PT1S", "--helpdesk.sla-monitor.cron=0 0 1 1 *",
					"--spring.datasource.hikari.maximum-pool-size=10", "--spring.datasource.hikari.minimum-idle=2",
					"--spring.modulith.events.republish-outstanding-events-on-restart=false",
					"--helpdesk.outbox.take-over=false"));
		}
		WORKERS.forEach(HelpdeskProcess::awaitHealthy);
	}

	@AfterAll
	static void stopWorkers() {
		// stopped, not killed: their job servers deregister, so none stays the cluster's master (and holds back
		// scheduled jobs) for the server timeout after this class
		WORKERS.forEach(HelpdeskProcess::close);
		WORKERS.clear();
	}

	static int status(HelpdeskProcess worker, String path) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).build(),
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
		assertThat(servers).anyMatch(name -> name.endsWith(":" + WORKERS.get(0).pid()))
			.anyMatch(name -> name.endsWith(":" + WORKERS.get(1).pid()));
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
		assertThat(pids).containsExactlyInAnyOrder(WORKERS.get(0).pid(), WORKERS.get(1).pid());
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
			.isIn(WORKERS.get(0).pid(), WORKERS.get(1).pid());
	}

	/**
	 * A worker killed with a job running and a publication its listeners never ran: within 60 s the job runs again in
	 * the other worker, its side effect once, and the publication is delivered once by a surviving process, while the
	 * job and the publication of the surviving worker, all that time in progress there, are neither run again nor
	 * taken over.
	 */
	@Test
	@org.junit.jupiter.api.Order(4)
	void aKilledWorkersJobAndPublicationAreTakenOverWithin60sAndNothingOfALiveOneIs() {
		TestJobs.createTables(jdbc);
		var doomed = "killed-" + UUID.randomUUID();
		var living = "living-" + UUID.randomUUID();
		dispatcher.publish(Dispatch.of(new TestJobs.Announce(JobQueue.ANALYTICS_UPDATE, doomed, 120_000)));
		await().atMost(Duration.ofSeconds(30)).until(() -> started(doomed) == 1 && incompletePublications(doomed) == 1);
		var victim = worker(jdbc.sql("SELECT pid FROM test_job_started WHERE tag = ?").param(doomed).query(Long.class).single());
		var survivor = WORKERS.get(1 - WORKERS.indexOf(victim));
		// the victim's one worker of the queue is busy: this job starts in the survivor, and runs there for 25 s
		dispatcher.publish(Dispatch.of(new TestJobs.Announce(JobQueue.ANALYTICS_UPDATE, living, 25_000)));
		await().atMost(Duration.ofSeconds(30)).until(() -> started(living) == 1 && incompletePublications(living) == 1);
		assertThat(jdbc.sql("SELECT pid FROM test_job_started WHERE tag = ?").param(living).query(Long.class).single())
			.isEqualTo(survivor.pid());
		var victimProcess = processOf(victim);
		var survivorProcess = processOf(survivor);
		assertThat(publicationProcesses(doomed)).containsExactly(victimProcess);

		victim.kill(); // SIGKILL
		var killedAt = System.nanoTime();

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> sideEffects(doomed) == 1
				&& deliveries(doomed, 1) == 1 && incompletePublications(doomed, 1) == 0);
		System.out.printf("Killed worker: its job and publication done %.1f s after the kill%n",
				(System.nanoTime() - killedAt) / 1e9);
		assertThat(jdbc.sql("SELECT pid FROM test_side_effect WHERE tag = ?").param(doomed).query(Long.class).single())
			.isEqualTo(survivor.pid());
		assertThat(jdbc.sql("SELECT max(attempt) FROM test_job_started WHERE tag = ?").param(doomed).query(Integer.class).single())
			.isEqualTo(2);
		assertThat(jdbc.sql("""
				SELECT p.process_id FROM event_publication p
				WHERE p.serialized_event LIKE ? AND p.serialized_event LIKE '%"attempt":1%'""")
			.param("%" + doomed + "%")
			.query(String.class)
			.single()).as("taken over by a surviving process").isNotEqualTo(victimProcess);

		// what the survivor was working on meanwhile: its job ran once, its publication is still its own
		await().atMost(Duration.ofSeconds(30)).until(() -> sideEffects(living) == 1);
		assertThat(started(living)).isEqualTo(1);
		assertThat(incompletePublications(living)).isEqualTo(1);
		assertThat(publicationProcesses(living)).containsExactly(survivorProcess);
		assertThat(deliveries(living, 1)).isZero();
	}

	private HelpdeskProcess worker(long pid) {
		return WORKERS.stream().filter(worker -> worker.pid() == pid).findFirst().orElseThrow();
	}

	private String processOf(HelpdeskProcess worker) {
		return jdbc.sql("SELECT id FROM process_instance WHERE name LIKE ?")
			.param("%:" + worker.pid())
			.query(String.class)
			.single();
	}

	private long started(String tag) {
		return jdbc.sql("SELECT count(*) FROM test_job_started WHERE tag = ?").param(tag).query(Long.class).single();
	}

	private long sideEffects(String tag) {
		return jdbc.sql("SELECT count(*) FROM test_side_effect WHERE tag = ?").param(tag).query(Long.class).single();
	}

	private long deliveries(String tag, int attempt) {
		return jdbc.sql("SELECT coalesce(sum(deliveries), 0) FROM test_announced WHERE tag = ? AND attempt = ?")
			.params(tag, attempt)
			.query(Long.class)
			.single();
	}

	private long incompletePublications(String tag) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?")
			.param("%\"" + tag + "\"%")
			.query(Long.class)
			.single();
	}

	private long incompletePublications(String tag, int attempt) {
		return jdbc.sql("""
				SELECT count(*) FROM event_publication
				WHERE completion_date IS NULL AND serialized_event LIKE ? AND serialized_event LIKE ?""")
			.params("%\"" + tag + "\"%", "%\"attempt\":" + attempt + "%")
			.query(Long.class)
			.single();
	}

	private List<String> publicationProcesses(String tag) {
		return jdbc.sql("SELECT DISTINCT process_id FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"" + tag + "\"%")
			.query(String.class)
			.list();
	}
}
