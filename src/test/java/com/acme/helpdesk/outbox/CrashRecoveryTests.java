package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.StalledListenersHelpdesk;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestMail;
import com.acme.helpdesk.support.TestWebhook;
import com.sun.net.httpserver.HttpServer;

/**
 * One process alone (run mode {@code all}) on a database of this class's own, so no other application of the test run
 * can take over its work: killed with SIGKILL while a job calls a merchant's endpoint and with publications its
 * listeners never ran, then started again; then stopped with SIGTERM while a job calls the endpoint again.
 */
@HelpdeskTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryTests {

	static String database;
	static String url;
	static JdbcClient db;
	static EnrichmentEndpoint endpoint;
	/** The process started again after the kill: the second test stops it. */
	static HelpdeskProcess restarted;

	@Autowired
	JdbcConnectionDetails connection;

	@BeforeAll
	static void aDatabaseOfItsOwn(@Autowired JdbcClient jdbc, @Autowired JdbcConnectionDetails connection)
			throws IOException {
		var shared = jdbc.sql("SELECT current_database()").query(String.class).single();
		database = shared + "_crash";
		jdbc.sql("CREATE DATABASE " + database).update();
		url = connection.getJdbcUrl().replaceFirst("/" + shared + "(\\?|$)", "/" + database + "$1");
		db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, connection.getUsername(),
				connection.getPassword()));
		endpoint = new EnrichmentEndpoint();
	}

	@AfterAll
	static void dropIt(@Autowired JdbcClient jdbc) {
		if (restarted != null) {
			restarted.kill();
		}
		endpoint.close();
		jdbc.sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").update();
	}

	@Test
	@Order(1)
	void killedProcessStartedAgainFinishesEveryPendingSideEffectWithin30sOfUp() {
		String ticket;
		String agent;
		endpoint.hold();
		try (var doomed = start(HelpdeskApplication.class, "crash-before-listeners", StalledListenersHelpdesk.ARGUMENTS.get(0),
				StalledListenersHelpdesk.ARGUMENTS.get(1), "--helpdesk.outbox.take-over=false")) {
			var api = new TestApi(doomed.port());
			var given = new Scenarios(api, db);
			var merchant = api.newMerchant();
			var settings = api.put("/api/v1/settings", merchant.adminKey(),
					Map.of("enrichmentUrl", endpoint.url(), "webhookSecret", TestWebhook.secret(UUID.randomUUID().toString())));
			assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
			var created = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Lost?",
					"requester", Map.of("email", "a@example.com"), "context", Map.of("orderId", "A-1")));
			assertThat(created.status()).isEqualTo(201);
			ticket = created.body().get("id").asText();
			agent = given.agent(merchant, Scenarios.domain()).id().toString();
			var assigned = api.post("/api/v1/tickets/" + ticket + "/assignment", merchant.adminKey(), Map.of("agentId", agent));
			assertThat(assigned.status()).isEqualTo(200);
			// a job running (the enrichment, waiting for the merchant's endpoint) and publications no listener ran
			await().atMost(Duration.ofSeconds(60)).until(() -> endpoint.calls(ticket) == 1);
			assertThat(incompletePublications()).isPositive();
			assertThat(jobsOf(ticket, "PROCESSING")).isEqualTo(1);
			doomed.kill();
		}
		var killedAt = System.nanoTime();
		endpoint.release();
		assertThat(load(agent)).isZero();

		restarted = start(HelpdeskApplication.class, "restart-after-crash", "--helpdesk.shutdown.delay=PT3S");
		var upAt = System.nanoTime();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
			.until(() -> incompletePublications() == 0 && pendingJobs() == 0 && endpoint.calls(ticket) == 2);
		System.out.printf("Crash recovery: every side effect done %.1f s after UP, %.1f s after the kill%n",
				(System.nanoTime() - upAt) / 1e9, (System.nanoTime() - killedAt) / 1e9);

		assertThat(load(agent)).isEqualTo(1);
		assertThat(db.sql("SELECT enrichment -> 'endpoint' ->> 'tier' FROM ticket WHERE id = ?::uuid").param(ticket)
			.query(String.class).single()).isEqualTo("gold");
		// the killed process's job: failed as orphaned by JobRunr, then scheduled again at once (no back-off)
		assertThat(historyOf(ticket, "FAILED", "exceptionType")).containsExactly(
				"org.jobrunr.jobs.exceptions.IllegalJobThreadStateException");
		assertThat(historyOf(ticket, "SCHEDULED", "reason")).singleElement().asString().contains("at once");
		assertThat(db.sql("SELECT count(*) FROM notification WHERE ticket_id = ?::uuid AND type = 'TICKET_ASSIGNED'")
			.param(ticket).query(Long.class).single()).isPositive();
		// the process alone did it: it took over every publication the killed one left
		assertThat(db.sql("SELECT DISTINCT process_id FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticket + "\"%")
			.query(String.class)
			.list()).containsExactly(processOf(restarted));
	}

	/**
	 * SIGTERM while a job waits for the merchant's endpoint: readiness goes DOWN, then new requests are refused while
	 * the job servers still run the job and keep it alive; the job finishes inside the grace, having run once; then
	 * the job servers stop and the process signs off.
	 */
	@Test
	@Order(2)
	void sigtermRefusesRequestsFirstThenLetsARunningJobFinishOnceInsideTheGrace() throws IOException {
		if (restarted == null || !restarted.isAlive()) {
			restarted = start(HelpdeskApplication.class, "stopped-in-order", "--helpdesk.shutdown.delay=PT3S");
		}
		var process = restarted;
		var api = new TestApi(process.port());
		var merchant = api.newMerchant();
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("enrichmentUrl", endpoint.url(),
				"webhookSecret", TestWebhook.secret(UUID.randomUUID().toString()))).status()).isEqualTo(200);
		endpoint.hold();
		var created = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Stop now",
				"requester", Map.of("email", "b@example.com"), "context", Map.of("orderId", "B-2")));
		assertThat(created.status()).isEqualTo(201);
		var ticket = created.body().get("id").asText();
		await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.calls(ticket) == 1);
		var live = LiveClient.connect(process.port(), merchant.adminKey());
		live.awaitConnected();

		process.terminate(); // SIGTERM

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
			.until(() -> status(process, "/actuator/health/readiness") == 503);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
			.until(() -> !live.isConnected() && status(process, "/actuator/health") == -1);
		assertThat(newTicket(process, merchant)).as("a request after the shutdown began").isEqualTo(-1);
		// requests are refused, and the job servers still run the job
		assertThat(process.isAlive()).isTrue();
		assertThat(jobServersOf(process)).isPositive();
		assertThat(jobsOf(ticket, "PROCESSING")).isEqualTo(1);
		live.close();

		// in the grace: no job taken any more, the running one still kept alive (no other process may fail it as
		// orphaned, however long the grace)
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(process.log().toPath()).contains("Job servers take no more jobs"));
		var updated = jobUpdatedAt(ticket);
		await().atMost(Duration.ofSeconds(15)).until(() -> jobUpdatedAt(ticket).isAfter(updated));
		assertThat(jobServersOf(process)).isPositive();

		endpoint.release();
		process.awaitExit(Duration.ofSeconds(60));

		assertThat(endpoint.calls(ticket)).as("the merchant's endpoint called once").isEqualTo(1);
		assertThat(jobsOf(ticket, "SUCCEEDED")).isEqualTo(1);
		assertThat(db.sql("""
				SELECT count(*) FROM jobrunr_jobs j, jsonb_array_elements(CAST(j.jobAsJson AS jsonb) -> 'jobHistory') h(entry)
				WHERE j.jobSignature LIKE '%ContextEnrichment%' AND j.jobAsJson LIKE ?
				AND h.entry ->> 'state' IN ('PROCESSING', 'FAILED')""")
			.param("%" + ticket + "%")
			.query(Long.class)
			.single()).as("started once, never failed").isEqualTo(1);
		assertThat(db.sql("SELECT enrichment -> 'endpoint' ->> 'tier' FROM ticket WHERE id = ?::uuid").param(ticket)
			.query(String.class).single()).isEqualTo("gold");
		assertThat(jobServersOf(process)).as("job servers signed off").isZero();
		assertThat(Files.readString(process.log().toPath())).as("stopped when the job finished, not at the grace's end")
			.doesNotContain("still running after");
		assertThat(db.sql("SELECT stopped_at IS NOT NULL FROM process_instance WHERE id = ?").param(processOf(process))
			.query(Boolean.class).single()).as("the process signed off").isTrue();
		assertThat(db.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND process_id = ?")
			.param(processOf(process)).query(Long.class).single()).as("its listeners finished").isZero();
		restarted = null;
	}

	/**
	 * Awaitility's, except that an exception another thread leaves uncaught is not the test's: the SMTP server's
	 * threads throw when the killed process drops its connection.
	 */
	private static ConditionFactory await() {
		return Awaitility.await().dontCatchUncaughtExceptions();
	}

	private HelpdeskProcess start(Class<?> main, String name, String... arguments) {
		var all = java.util.stream.Stream.concat(java.util.stream.Stream.of("--helpdesk.run-mode=all",
				"--helpdesk.enrichment.timeout=PT60S", "--helpdesk.sla-monitor.cron=0 0 1 1 *",
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + TestMail.SMTP.getSmtp().getPort(),
				"--spring.datasource.hikari.maximum-pool-size=12", "--spring.datasource.hikari.minimum-idle=2"),
				java.util.Arrays.stream(arguments)).toArray(String[]::new);
		return HelpdeskProcess.start(main.getName(), name, url, connection.getUsername(),
				connection.getPassword() == null ? "" : connection.getPassword(), all);
	}

	private static long jobsOf(String ticket, String state) {
		return db.sql("SELECT count(*) FROM jobrunr_jobs WHERE state = ? AND jobSignature LIKE '%ContextEnrichment%' AND jobAsJson LIKE ?")
			.params(state, "%" + ticket + "%")
			.query(Long.class)
			.single();
	}

	private static java.time.Instant jobUpdatedAt(String ticket) {
		return db.sql("SELECT updatedAt FROM jobrunr_jobs WHERE jobSignature LIKE '%ContextEnrichment%' AND jobAsJson LIKE ?")
			.param("%" + ticket + "%")
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();
	}

	/** A field of each state {@code state} in the history of the ticket's enrichment job. */
	private static List<String> historyOf(String ticket, String state, String field) {
		return db.sql("""
				SELECT h.entry ->> ? FROM jobrunr_jobs j, jsonb_array_elements(CAST(j.jobAsJson AS jsonb) -> 'jobHistory') h(entry)
				WHERE j.jobSignature LIKE '%ContextEnrichment%' AND j.jobAsJson LIKE ? AND h.entry ->> 'state' = ?""")
			.params(field, "%" + ticket + "%", state)
			.query(String.class)
			.list();
	}

	private static long jobServersOf(HelpdeskProcess process) {
		return db.sql("SELECT count(*) FROM jobrunr_backgroundjobservers WHERE name LIKE ?")
			.param("%:" + process.pid())
			.query(Long.class)
			.single();
	}

	private static String processOf(HelpdeskProcess process) {
		return db.sql("SELECT id FROM process_instance WHERE name LIKE ?").param("%:" + process.pid()).query(String.class).single();
	}

	private static long incompletePublications() {
		return db.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL").query(Long.class).single();
	}

	/** Jobs waiting, scheduled or running, except the next runs of recurring jobs. */
	private static long pendingJobs() {
		return db.sql("""
				SELECT count(*) FROM jobrunr_jobs
				WHERE state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING') AND recurringJobId IS NULL""")
			.query(Long.class)
			.single();
	}

	private static int load(String agentId) {
		return db.sql("SELECT load FROM agent WHERE id = ?::uuid").param(agentId).query(Integer.class).single();
	}

	/** The HTTP status, or -1 when the connection is refused; on a connection of its own, closed afterwards. */
	private static int status(HelpdeskProcess process, String path) {
		try {
			var connection = (HttpURLConnection) URI.create(process.baseUrl() + path).toURL().openConnection();
			connection.setRequestProperty("Connection", "close");
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(5000);
			try {
				return connection.getResponseCode();
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException e) {
			return -1;
		}
	}

	private static int newTicket(HelpdeskProcess process, TestApi.Merchant merchant) {
		try {
			return new TestApi(process.port()).post("/api/v1/tickets", merchant.adminKey(),
					Map.of("subject", "Too late", "requester", Map.of("email", "c@example.com"))).status();
		}
		catch (RuntimeException e) {
			return -1;
		}
	}

	/**
	 * A merchant's enrichment endpoint answering {@code {"tier": "gold"}}; while held, calls wait for
	 * {@link #release()}. Counts the calls per ticket ({@code webhook-id: enrich_<ticket id>}).
	 */
	static final class EnrichmentEndpoint implements AutoCloseable {

		private final HttpServer server;
		private final List<String> calls = new CopyOnWriteArrayList<>();
		private volatile CountDownLatch held = new CountDownLatch(0);

		EnrichmentEndpoint() throws IOException {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.setExecutor(Executors.newCachedThreadPool());
			server.createContext("/enrich", exchange -> {
				exchange.getRequestBody().readAllBytes();
				calls.add(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
				try {
					held.await(2, TimeUnit.MINUTES);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				var answer = "{\"tier\":\"gold\"}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				try {
					exchange.sendResponseHeaders(200, answer.length);
					exchange.getResponseBody().write(answer);
				}
				catch (IOException callerGone) {
					// the process that called was killed
				}
				exchange.close();
			});
			server.start();
		}

		String url() {
			return "http://127.0.0.1:" + server.getAddress().getPort() + "/enrich";
		}

		void hold() {
			held = new CountDownLatch(1);
		}

		void release() {
			held.countDown();
		}

		long calls(String ticket) {
			return calls.stream().filter(id -> id.equals("enrich_" + ticket)).count();
		}

		@Override
		public void close() {
			release();
			server.stop(0);
		}
	}
}
