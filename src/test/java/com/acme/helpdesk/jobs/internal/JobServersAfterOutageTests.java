package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.CuttableProxy;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabase;

/**
 * JobRunr stops a job server for good once its heartbeat cannot reach the database: after an outage longer than a
 * poll interval, no job would run again until a restart. {@link QueueServers} starts such servers again.
 */
class JobServersAfterOutageTests {

	static CuttableProxy proxy;
	static ConfigurableApplicationContext app;
	static TestApi api;

	@BeforeAll
	static void startTheServiceBehindTheProxy() {
		var direct = TestDatabase.url();
		proxy = CuttableProxy.toDatabaseOf(direct);
		var settings = Map.of("server.port", "0", "spring.datasource.url",
				proxy.through(direct), "spring.datasource.username", TestDatabase.user(),
				"spring.datasource.password", TestDatabase.password(), "helpdesk.ops-token", TestApi.OPS_TOKEN,
				"helpdesk.run-mode", "all", "jobrunr.dashboard.enabled", "false",
				"helpdesk.database.connection-timeout", "1s");
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
	void jobServersThatJobRunrStoppedDuringAnOutageRunJobsAgainAfterIt() {
		var servers = app.getBean(QueueServers.class);
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Outage", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();
		assertThat(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Agent", "email", "agent@outage.example", "capacity", 100,
				"availability", "ONLINE", "categoryIds", List.of(category))).status()).isEqualTo(201);
		awaitAssigned(merchant, newTicket(merchant, category));

		proxy.cut();
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.alias("JobRunr stops its servers while their heartbeats fail")
				.until(() -> servers.stoppedServers() > 0);
		}
		finally {
			proxy.restore();
		}

		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> servers.stoppedServers() == 0);
		awaitAssigned(merchant, newTicket(merchant, category));
	}

	private static UUID newTicket(TestApi.Merchant merchant, String category) {
		var created = Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Outage",
					"categoryId", category, "requester", Map.of("email", "c@outage.example"))), r -> r.status() == 201);
		return UUID.fromString(created.body().get("id").asText());
	}

	private static void awaitAssigned(TestApi.Merchant merchant, UUID ticket) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.until(() -> api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().path("assigneeId").isTextual());
	}
}
