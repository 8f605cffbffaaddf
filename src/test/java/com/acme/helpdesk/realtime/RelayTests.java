package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.ExternalService;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.TestApi;

/**
 * Two processes sharing live events through the STOMP broker relay (RabbitMQ with {@code rabbitmq_stomp} on
 * {@code localhost:61613}, guest/guest): process A is this test's application, process B a second application
 * context on the same database in run mode {@code worker} (job servers, no API). A client connected to A receives
 * what B raises (the SLA monitor's breaches), and the other way round.
 */
@HelpdeskTest
@DirtiesContext // closes this class's own application context (relay on) while the test database still exists
@TestPropertySource(properties = { "helpdesk.realtime.relay.enabled=true",
		"helpdesk.realtime.relay.host=" + RelayTests.STOMP_HOST, "helpdesk.realtime.relay.port=" + RelayTests.STOMP_PORT,
		"spring.datasource.hikari.maximum-pool-size=6", "management.endpoint.health.group.readiness.show-details=always" })
class RelayTests {

	static final String STOMP_HOST = "localhost";
	static final int STOMP_PORT = 61613;

	static ConfigurableApplicationContext processB;

	@Autowired
	TestApi api;

	@Autowired
	Environment environment;

	@Autowired
	StompBrokerRelayMessageHandler relay;

	@Value("${local.server.port}")
	int port;

	final List<LiveClient> clients = new ArrayList<>();

	@BeforeAll
	static void rabbitMqStompIsUp() {
		boolean up;
		try (var socket = new Socket()) {
			socket.connect(new InetSocketAddress(STOMP_HOST, STOMP_PORT), 2000);
			up = true;
		}
		catch (IOException e) {
			up = false;
		}
		ExternalService.require(up, "No STOMP broker at %s:%d: these tests need RabbitMQ with its STOMP plugin "
				.formatted(STOMP_HOST, STOMP_PORT) + "(`rabbitmq-plugins enable rabbitmq_stomp`)");
	}

	@AfterAll
	static void stopProcessB() {
		if (processB != null) {
			processB.close();
			processB = null;
		}
	}

	@AfterEach
	void closeClients() {
		clients.forEach(LiveClient::close);
	}

	@Test
	void aClientOfOneProcessReceivesTheEventsRaisedInTheOther() {
		var b = processB();
		var apiB = new TestApi(b.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		var merchant = api.newMerchant();
		var ticketId = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Across", "description", "d", "requester", Map.of("email", "c@example.com")))
			.body()
			.get("id")
			.asText();
		var onA = connect(port, merchant.adminKey());
		assertThat(onA.subscribe("/topic/helpdesk/" + ticketId)).isTrue();
		assertThat(onA.subscribe("/topic/observation/helpdesk/" + merchant.id())).isTrue();
		var onB = connect(apiB.port(), merchant.adminKey());
		assertThat(onB.subscribe("/topic/helpdesk/" + ticketId)).isTrue();

		assertThat(apiB.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
				Map.of("status", "PENDING", "reason", "raised in B")).status()).as("B is a worker: no API").isEqualTo(404);
		assertThat(api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
				Map.of("status", "PENDING", "reason", "raised in A")).status()).isEqualTo(200);

		// ticket.created, pushed asynchronously by A, may also arrive on the fresh subscriptions: skipped
		var first = onA.nextFrame("ticket.status_changed", 3000);
		var second = onA.nextFrame("ticket.status_changed", 3000);
		assertThat(first).as("status change reaches A's subscriber through the broker").isNotNull();
		assertThat(second).as("on both of A's subscriptions").isNotNull();
		assertThat(List.of(first.destination(), second.destination())).containsExactlyInAnyOrder(
				"/topic/helpdesk/" + ticketId, "/topic/observation/helpdesk/" + merchant.id());
		assertThat(first.event()).isEqualTo("ticket.status_changed");
		assertThat(first.envelope().get("room").asText()).isEqualTo("helpdesk/" + ticketId);
		assertThat(first.envelope().get("data").get("reason").asText()).isEqualTo("raised in A");
		assertThat(second.envelope()).isEqualTo(first.envelope());
		assertThat(second.eventId()).isEqualTo(first.eventId());
		assertThat(onB.nextFrame("ticket.status_changed", 3000)).isNotNull();

		var messageId = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "raised in A", "authorType", "CUSTOMER")).body().get("id").asText();
		var onBFromA = onB.nextFrame("ticket.message.created", 3000);
		assertThat(onBFromA).as("message raised in A reaches B's room subscriber").isNotNull();
		assertThat(onBFromA.envelope().get("messageId").asText()).isEqualTo(messageId);
	}

	@Test
	void aClientSendingTheHostHeaderOfABrowserIsConnectedToTheConfiguredVirtualHostAndReceivesFrames() {
		var merchant = api.newMerchant();
		var ticketId = api.newTicket(merchant);
		// the console sends location.hostname; RabbitMQ would take it for a virtual host and refuse the CONNECT
		var client = LiveClient.connect(port, merchant.adminKey(), Map.of("host", "some.example"));
		clients.add(client);
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId)).as(client.toString()).isTrue();

		assertThat(api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
				Map.of("status", "PENDING", "reason", "through the relay")).status()).isEqualTo(200);

		var frame = client.nextFrame("ticket.status_changed", 5000);
		assertThat(frame).as("frame through the relay; errors: " + client).isNotNull();
		assertThat(frame.envelope().get("data").get("reason").asText()).isEqualTo("through the relay");
	}

	@Test
	void readinessReportsTheRelayUpWhileItsSystemSessionIsConnected() {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isBrokerAvailable);
		var readiness = api.get("/actuator/health/readiness", null);
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.body().at("/components/relay/status").asText()).isEqualTo("UP");
		assertThat(readiness.body().at("/components/relay/details/virtualHost").asText()).isEqualTo("/");
	}

	@Test
	void aClientOfTheApiProcessReceivesTheSlaBreachRaisedByTheSweepOfTheWorkerProcess() {
		var b = processB();
		var apiB = new TestApi(b.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		var merchant = api.newMerchant();
		assertThat(api.put("/api/v1/sla-policies/URGENT", merchant.adminKey(),
				Map.of("firstResponse", "PT1S", "resolution", "PT1H", "warningPercent", 50)).status()).isEqualTo(200);
		var ticketId = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Late", "priority", "URGENT", "requester", Map.of("email", "c@example.com")))
			.body()
			.get("id")
			.asText();
		var onA = connect(port, merchant.adminKey());
		assertThat(onA.subscribe("/topic/helpdesk/" + ticketId)).isTrue();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/tickets/" + ticketId + "/sla",
				merchant.adminKey()).body().get("clocks").size() == 2);

		LiveClient.Frame breach = null;
		for (int attempt = 0; attempt < 10 && breach == null; attempt++) {
			assertThat(apiB.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, Map.of()).status()).isEqualTo(202);
			breach = onA.nextFrame("sla.breached", 1500);
		}

		assertThat(breach).as("the breach raised by B's sweep reaches A's client").isNotNull();
		assertThat(breach.envelope().get("ticketId").asText()).isEqualTo(ticketId);
		assertThat(breach.envelope().get("data").get("metric").asText()).isEqualTo("FIRST_RESPONSE");
		assertThat(b.getEnvironment().getProperty("helpdesk.run-mode")).isEqualTo("worker");
	}

	@Test
	void inAppNotificationsPushedInOneProcessReachTheAgentConnectedToTheOther() {
		var b = processB();
		var merchant = api.newMerchant();
		var agent = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 5, "availability", "ONLINE")).body();
		var onA = connect(port, agent.get("apiKey").asText());
		assertThat(onA.subscribe("/user/queue/notifications")).isTrue();
		var notificationId = UUID.randomUUID();

		b.getBean(LiveNotifications.class)
			.push(merchant.id(), UUID.fromString(agent.get("id").asText()), notificationId, null,
					Map.of("type", "TICKET_ASSIGNED"));

		var frame = onA.nextFrame(5000);
		assertThat(frame).isNotNull();
		assertThat(frame.event()).isEqualTo("notification.created");
		assertThat(frame.eventId()).isEqualTo(notificationId.toString());
	}

	private LiveClient connect(int port, String key) {
		var client = LiveClient.connect(port, key);
		clients.add(client);
		return client;
	}

	/** A second process of the service on the same database and broker, started once for this class. */
	private ConfigurableApplicationContext processB() {
		if (processB == null) {
			// command-line arguments: they outrank application.yml, as a real process's settings do
			var settings = Map.<String, Object>ofEntries(Map.entry("server.port", "0"),
						Map.entry("spring.datasource.url", environment.getRequiredProperty("spring.datasource.url")),
						Map.entry("spring.datasource.username",
								environment.getRequiredProperty("spring.datasource.username")),
						Map.entry("spring.datasource.password", environment.getProperty("spring.datasource.password", "")),
						Map.entry("spring.datasource.hikari.maximum-pool-size", "6"),
						Map.entry("spring.flyway.enabled", "false"), Map.entry("helpdesk.ops-token", TestApi.OPS_TOKEN),
						Map.entry("jobrunr.dashboard.enabled", "false"),
						Map.entry("jobrunr.background-job-server.enabled", "false"),
						Map.entry("spring.modulith.events.republish-outstanding-events-on-restart", "false"),
						Map.entry("helpdesk.run-mode", "worker"),
						Map.entry("helpdesk.jobs.serve", "sla-monitor"),
						Map.entry("helpdesk.realtime.relay.enabled", "true"),
						Map.entry("helpdesk.realtime.relay.host", STOMP_HOST),
						Map.entry("helpdesk.realtime.relay.port", String.valueOf(STOMP_PORT)));
			processB = new SpringApplicationBuilder(HelpdeskApplication.class)
				.run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
		}
		var relayB = processB.getBean(StompBrokerRelayMessageHandler.class);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> relay.isBrokerAvailable() && relayB.isBrokerAvailable());
		return processB;
	}

	/** The live console in Chromium against this process with the relay on (issue 19: its browser test in relay mode). */
	@Test
	void theConsoleWorksThroughTheRelay() throws Exception {
		ConsoleTests.followATicket(api, "console-relay.png");
	}
}
