package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.acme.helpdesk.support.CuttableProxy;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabase;

/**
 * The service with a TCP proxy between it and PostgreSQL, cut and restored: while the database is away requests
 * answer 503 problem+json with {@code Retry-After} within the connection bound (1.5 s here), whether the database
 * was wanted by a filter (the API key's resolution) or by a controller, health and readiness answer DOWN, and once
 * the proxy is back everything works again with nothing written by the refused requests. Health shows its details
 * (why it is DOWN) only with the operations token.
 */
class DatabaseOutageTests {

	static final Duration GENEROUS = Duration.ofSeconds(10);
	static final java.util.concurrent.ExecutorService CONCURRENT = java.util.concurrent.Executors.newFixedThreadPool(8);

	static CuttableProxy proxy;
	static ConfigurableApplicationContext app;
	static TestApi api;

	@BeforeAll
	static void startTheServiceBehindTheProxy() {
		var direct = TestDatabase.url();
		proxy = CuttableProxy.toDatabaseOf(direct);
		var throughProxy = proxy.through(direct);
		var settings = Map.<String, String>ofEntries(Map.entry("server.port", "0"),
				Map.entry("spring.datasource.url", throughProxy), Map.entry("spring.datasource.username", TestDatabase.user()),
				Map.entry("spring.datasource.password", TestDatabase.password()),
				Map.entry("spring.datasource.hikari.maximum-pool-size", "6"),
				Map.entry("spring.datasource.hikari.minimum-idle", "1"), Map.entry("helpdesk.ops-token", TestApi.OPS_TOKEN),
				Map.entry("helpdesk.run-mode", "api"), Map.entry("jobrunr.dashboard.enabled", "false"),
				Map.entry("jobrunr.background-job-server.enabled", "false"),
				Map.entry("spring.modulith.events.republish-outstanding-events-on-restart", "false"),
				Map.entry("helpdesk.database.connection-timeout", "1500ms"),
				Map.entry("helpdesk.database.retry-after", "3s"));
		app = new SpringApplicationBuilder(HelpdeskApplication.class)
			.run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
		api = new TestApi(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
	}

	@AfterAll
	static void stop() {
		if (proxy != null) {
			proxy.restore();
		}
		if (app != null) {
			app.close();
		}
		if (proxy != null) {
			proxy.close();
		}
	}

	@Test
	void whileTheDatabaseIsAwayRequestsAnswer503AtOnceHealthIsDownAndAfterwardsAllWorksWithNothingHalfWritten() {
		var merchant = api.newMerchant();
		var unusedKeyMerchant = api.newMerchant();
		assertThat(api.post("/api/v1/tickets", merchant.adminKey(), ticket("Before the outage")).status()).isEqualTo(201);
		assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);

		proxy.cut();
		try {
			// resolving a key not seen before needs the database: the filter's failure
			var byFilter = timed(() -> api.post("/api/v1/tickets", unusedKeyMerchant.adminKey(), ticket("During the outage")));
			assertUnavailable(byFilter);
			// requests with a key no longer cached wait for their own connection bound, not in turn for each other's
			var concurrent = java.util.stream.IntStream.range(0, 8)
				.mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(
						() -> timed(() -> api.get("/api/v1/tickets", merchant.adminKey())), CONCURRENT))
				.toList();
			concurrent.forEach(answer -> assertUnavailable(answer.join()));
			// the operations token needs no database: the controller's failure
			var byController = timed(
					() -> api.post("/ops/v1/merchants", TestApi.OPS_TOKEN, Map.of("name", "During the outage")));
			assertUnavailable(byController);

			// the operator (the token needs no database) sees why; a load balancer sees the status
			var detailed = timed(() -> api.get("/actuator/health", TestApi.OPS_TOKEN));
			assertThat(detailed.status()).isEqualTo(503);
			assertThat(detailed.body().at("/components/db/status").asText()).isEqualTo("DOWN");
			assertThat(detailed.body().at("/components/db/details/error").asText())
				.as("the health check gave up before the pool did").isEqualTo("no valid connection within 800 ms");
			var health = timed(() -> api.get("/actuator/health", null));
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.body().get("status").asText()).isEqualTo("DOWN");
			assertThat(health.body().has("components")).as("no details without the token").isFalse();
			var readiness = timed(() -> api.get("/actuator/health/readiness", null));
			assertThat(readiness.status()).isEqualTo(503);
			assertThat(readiness.body().get("status").asText()).isEqualTo("DOWN");
			assertThat(timed(() -> api.get("/actuator/health/readiness", TestApi.OPS_TOKEN)).body()
				.at("/components/db/status")
				.asText()).isEqualTo("DOWN");
			// the gauges that read the database say they cannot, and the scrape still answers
			var scrape = timed(() -> api.getText("/actuator/prometheus", null));
			assertThat(scrape.status()).isEqualTo(200);
			assertThat(scrape.body().asText()).contains("helpdesk_outbox_incomplete NaN");
			assertThat(api.get("/actuator/health/liveness", null).status()).as("alive: nothing to restart")
				.isEqualTo(200);
		}
		finally {
			proxy.restore();
		}

		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> api.get("/actuator/health/readiness", null).status() == 200);
		var after = api.post("/api/v1/tickets", unusedKeyMerchant.adminKey(), ticket("After the outage"));
		assertThat(after.status()).isEqualTo(201);
		assertThat(api.post("/ops/v1/merchants", TestApi.OPS_TOKEN, Map.of("name", "After " + UUID.randomUUID()))
			.status()).isEqualTo(201);
		assertThat(count("SELECT count(*) FROM ticket WHERE subject = 'During the outage'")).isZero();
		assertThat(count("SELECT count(*) FROM merchant WHERE name = 'During the outage'")).isZero();
		assertThat(count("SELECT count(*) FROM ticket WHERE merchant_id = '" + unusedKeyMerchant.id() + "'")).isOne();
	}

	/**
	 * A request inside its transaction when the connection breaks: its statement fails, and so does the rollback on
	 * the closed connection, which is the exception thrown (Hibernate's "Unable to rollback against JDBC Connection",
	 * from the pool's closed connection, with no SQL state).
	 */
	@Test
	void aRequestWhoseConnectionBreaksInsideItsTransactionAnswers503AndChangesNothing() throws Exception {
		var merchant = api.newMerchant();
		var ticket = api.newTicket(merchant);
		try (var holder = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
			holder.setAutoCommit(false);
			try (var lock = holder.prepareStatement("SELECT id FROM ticket WHERE id = ? FOR UPDATE")) {
				lock.setObject(1, ticket);
				lock.executeQuery().close();
			}
			var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> api.post(
					"/api/v1/tickets/" + ticket + "/status", merchant.adminKey(), Map.of("status", "PENDING")));
			Awaitility.await()
				.atMost(GENEROUS)
				.alias("the request waits for the ticket's row inside its transaction")
				.until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
						+ " AND query LIKE '%ticket%' AND pid <> pg_backend_pid()") > 0);
			proxy.cut();
			try {
				assertUnavailable(answer.get(GENEROUS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
			}
			finally {
				proxy.restore();
				holder.rollback();
			}
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> api.get("/actuator/health/readiness", null).status() == 200);
		assertThat(api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("status").asText())
			.isEqualTo("OPEN");
	}

	private static Map<String, Object> ticket(String subject) {
		return Map.of("subject", subject, "requester", Map.of("email", "c@example.com"));
	}

	private static void assertUnavailable(TestApi.Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(503);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.header("Retry-After")).isEqualTo("3");
		assertThat(response.body().get("status").asInt()).isEqualTo(503);
		assertThat(response.body().get("detail").asText()).contains("database");
	}

	/** The answer, which must come within {@link #GENEROUS} (the pool waits 1.5 s; without a bound it waits 30 s). */
	private static TestApi.Response timed(java.util.function.Supplier<TestApi.Response> request) {
		var started = System.nanoTime();
		var response = request.get();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered within " + GENEROUS)
			.isLessThan(GENEROUS);
		return response;
	}

	private static long count(String sql) {
		try (var connection = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password());
				var result = connection.createStatement().executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
		catch (SQLException e) {
			throw new IllegalStateException(e);
		}
	}
}
