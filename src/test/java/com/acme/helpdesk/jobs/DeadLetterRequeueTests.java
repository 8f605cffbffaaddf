package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.helpdesk.notifications.DigestSchedule;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.RefusedWrites;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.SmtpGate;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;
import com.acme.helpdesk.support.TestMail;
import com.acme.helpdesk.support.TestWebhook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A dead letter of each job kind, requeued through the operations API or through the JobRunr dashboard's own REST
 * API, runs its side effect once more, once. Each test makes one job of its kind fail for real (the mail server away, a
 * webhook or enrichment endpoint answering 503, PostgreSQL refusing the write), with no retries, so the job goes to the
 * dead letters at once with nothing done; then it removes the cause, requeues the dead letter, waits for the side
 * effect, and runs the requeued job once more (the dashboard's requeue of the succeeded job), which changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "helpdesk.run-mode=all", "jobrunr.dashboard.enabled=true",
		"jobrunr.dashboard.username=" + DeadLetterRequeueTests.DASHBOARD_USER,
		"jobrunr.dashboard.password=" + DeadLetterRequeueTests.DASHBOARD_PASSWORD,
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.minimum-idle=2",
		"helpdesk.queues.assignment.retries=0", "helpdesk.queues.context-enrichment.retries=0",
		"helpdesk.queues.notification.retries=0", "helpdesk.queues.escalation.retries=0",
		"helpdesk.queues.survey-trigger.retries=0", "helpdesk.sla-monitor.cron=0 0 1 1 *",
		"helpdesk.notifications.webhook-timeout=PT2S", "helpdesk.surveys.public-base-url=https://help.example.test",
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@AutoConfigureObservability(tracing = false)
// closed afterwards: its job servers would otherwise keep polling beside later test classes
@DirtiesContext
class DeadLetterRequeueTests {

	static final String DASHBOARD_USER = "dashboard-ops";
	static final String DASHBOARD_PASSWORD = "requeue-tests";
	static final int DASHBOARD_PORT = freePort();
	static final HttpClient DASHBOARD = HttpClient.newHttpClient();
	static final SmtpGate MAIL = SmtpGate.toTestMail();
	static final String SECRET = TestWebhook.secret("dead-letter-requeue-secret");
	static final Duration WAIT = Duration.ofSeconds(30);

	/** Where a dead letter is requeued. */
	enum Requeue {
		OPERATIONS_API, DASHBOARD
	}

	@DynamicPropertySource
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("jobrunr.dashboard.port", () -> DASHBOARD_PORT);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", MAIL::port);
	}

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DigestSchedule digests;

	Scenarios given;

	@BeforeEach
	void setUp() {
		given = new Scenarios(api, jdbc);
		MAIL.up();
	}

	// notifications: each requeued through the operations API and through the dashboard

	@ParameterizedTest
	@EnumSource(Requeue.class)
	void emailNotificationFailedForGoodIsSentOnceWhenRequeued(Requeue via) {
		var merchant = api.newMerchant();
		var customers = Scenarios.domain();
		var ticket = given.ticket(merchant, customers);
		MAIL.down();
		given.status(merchant, ticket, "IN_PROGRESS");
		var mail = awaitNotification(ticket.id(), "STATUS_CHANGED", "EMAIL");
		var letter = awaitDeadLetter("helpdesk.notification", "notification", mail);
		assertThat(notificationState(mail)).isEqualTo("FAILED");
		MAIL.up();
		assertThat(TestMail.to(customers)).isEmpty();

		requeue(letter, via);
		await().atMost(WAIT).until(() -> notificationState(mail).equals("SENT") && TestMail.to(customers).size() == 1);
		awaitSucceededAndNoDeadLetter(letter);
		assertThat(TestMail.to(customers).get(0).to()).isEqualTo(ticket.requesterEmail());

		runAgain(jobId(letter));
		assertThat(TestMail.to(customers)).hasSize(1);
		assertThat(notificationState(mail)).isEqualTo("SENT");
	}

	@ParameterizedTest
	@EnumSource(Requeue.class)
	void webhookNotificationFailedForGoodIsDeliveredOnceWhenRequeued(Requeue via) throws IOException {
		var merchant = api.newMerchant();
		try (var hook = new TestWebhook(SECRET, 503)) {
			given.webhook(merchant, hook, SECRET);
			var ticket = given.ticket(merchant, Scenarios.domain());
			given.status(merchant, ticket, "IN_PROGRESS");
			var webhook = awaitNotification(ticket.id(), "STATUS_CHANGED", "WEBHOOK");
			var letter = awaitDeadLetter("helpdesk.notification", "notification", webhook);
			assertThat(notificationState(webhook)).isEqualTo("FAILED");
			assertThat(hook.calls()).hasSize(1);

			hook.answer(200);
			requeue(letter, via);
			await().atMost(WAIT).until(() -> notificationState(webhook).equals("SENT") && hook.calls().size() == 2);
			awaitSucceededAndNoDeadLetter(letter);
			assertThat(hook.calls().get(1).id()).isEqualTo(webhook.toString());
			assertThat(hook.calls().get(1).verifiesWith(SECRET)).isTrue();

			runAgain(jobId(letter));
			assertThat(hook.calls()).hasSize(2);
			assertThat(notificationState(webhook)).isEqualTo("SENT");
		}
	}

	@ParameterizedTest
	@EnumSource(Requeue.class)
	void inAppNotificationFailedForGoodIsPushedOnceWhenRequeued(Requeue via) {
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());
		preferences(agent, Map.of("TICKET_ASSIGNED", List.of("IN_APP")));
		try (var refused = new RefusedWrites(jdbc).on("notification", "UPDATE",
				"NEW.state = 'SENT' AND NEW.channel = 'IN_APP'", "agent_id");
				var live = LiveClient.connect(api.port(), agent.key())) {
			assertThat(live.subscribe("/user/queue/notifications")).isTrue();
			refused.refuse(agent.id());
			var ticket = given.ticket(merchant, Scenarios.domain());
			given.assign(merchant, ticket, agent);
			var inApp = awaitNotification(ticket.id(), "TICKET_ASSIGNED", "IN_APP");
			var letter = awaitDeadLetter("helpdesk.notification", "notification", inApp);
			assertThat(notificationState(inApp)).isEqualTo("FAILED");
			assertThat(inboxSize(agent)).isZero();
			assertThat(live.nextFrame(0)).as("no push from the failed attempt").isNull();

			refused.allow(agent.id());
			requeue(letter, via);
			await().atMost(WAIT).until(() -> notificationState(inApp).equals("SENT"));
			awaitSucceededAndNoDeadLetter(letter);
			var frame = live.nextFrame("notification.created", WAIT.toMillis());
			assertThat(frame).as("the requeued notification, live").isNotNull();
			assertThat(frame.eventId()).isEqualTo(inApp.toString());
			assertThat(inboxSize(agent)).isEqualTo(1);

			runAgain(jobId(letter));
			assertThat(inboxSize(agent)).isEqualTo(1);
			// a push happens before its job's run ends: one more would be on its way by now
			assertThat(live.nextFrame(1000)).as("no second push").isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Requeue.class)
	void notificationBatchWithAWebhookFailedForGoodDeliversOnlyThatOneOnceWhenRequeued(Requeue via) throws IOException {
		var merchant = api.newMerchant();
		var customers = Scenarios.domain();
		var agent = given.agent(merchant, Scenarios.domain());
		preferences(agent, Map.of("TICKET_ASSIGNED", List.of(), "STATUS_CHANGED", List.of("IN_APP")));
		try (var hook = new TestWebhook(SECRET, 200); var live = LiveClient.connect(api.port(), agent.key())) {
			assertThat(live.subscribe("/user/queue/notifications")).isTrue();
			given.webhook(merchant, hook, SECRET);
			var ticket = given.ticket(merchant, customers);
			given.assign(merchant, ticket, agent);
			hook.answer(503);
			// the requester (mail, webhook) and the assignee (in-app): one notification-batch job
			given.status(merchant, ticket, "IN_PROGRESS");
			var webhook = awaitNotification(ticket.id(), "STATUS_CHANGED", "WEBHOOK");
			var inApp = awaitNotification(ticket.id(), "STATUS_CHANGED", "IN_APP");
			var letter = awaitDeadLetter("helpdesk.notification", "notification-batch", webhook);
			assertThat(notificationState(webhook)).isEqualTo("FAILED");
			assertThat(notificationState(inApp)).isEqualTo("SENT");
			assertThat(TestMail.to(customers)).hasSize(1);
			assertThat(hook.calls()).hasSize(1);
			assertThat(live.nextFrame("notification.created", WAIT.toMillis())).isNotNull();

			hook.answer(200);
			requeue(letter, via);
			await().atMost(WAIT).until(() -> notificationState(webhook).equals("SENT") && hook.calls().size() == 2);
			awaitSucceededAndNoDeadLetter(letter);
			assertThat(hook.calls().get(1).id()).isEqualTo(webhook.toString());
			assertThat(hook.calls().get(1).verifiesWith(SECRET)).isTrue();
			assertThat(TestMail.to(customers)).hasSize(1);

			runAgain(jobId(letter));
			assertThat(hook.calls()).hasSize(2);
			assertThat(TestMail.to(customers)).hasSize(1);
			assertThat(live.nextFrame(1000)).as("the in-app notification is not pushed again").isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Requeue.class)
	void digestFailedForGoodIsSentOnceWhenRequeued(Requeue via) {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("CUSTOMER_REPLIED", Map.of("channels", List.of("EMAIL"), "delivery", "DIGEST"), "TICKET_ASSIGNED",
						Map.of("channels", List.of(), "delivery", "IMMEDIATE"), "STATUS_CHANGED",
						Map.of("channels", List.of(), "delivery", "IMMEDIATE"))));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, agent);
		given.message(merchant.adminKey(), ticket, "CUSTOMER", false);
		var reply = awaitNotification(ticket.id(), "CUSTOMER_REPLIED", "EMAIL");
		assertThat(notificationState(reply)).isEqualTo("COLLECTED");

		MAIL.down();
		digests.publishDigests();
		var letter = awaitDeadLetter("helpdesk.notification", "notification-digest", agent.id());
		MAIL.up();
		assertThat(notificationState(reply)).isEqualTo("COLLECTED");
		assertThat(TestMail.to(agents)).isEmpty();

		requeue(letter, via);
		await().atMost(WAIT).until(() -> notificationState(reply).equals("DIGESTED") && TestMail.to(agents).size() == 1);
		awaitSucceededAndNoDeadLetter(letter);
		assertThat(TestMail.to(agents).get(0).subject()).contains("1 notification");

		runAgain(jobId(letter));
		assertThat(TestMail.to(agents)).hasSize(1);
		assertThat(notificationState(reply)).isEqualTo("DIGESTED");
	}

	// the other kinds: requeued through the operations API (the dashboard's requeue runs each once more)

	@Test
	void assignmentFailedForGoodAssignsOnceWhenRequeued() {
		var merchant = api.newMerchant();
		var category = UUID.fromString(api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "c-" + UUID.randomUUID(), "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id")
			.asText());
		var created = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Ann", "email",
				"ann-" + UUID.randomUUID() + "@example.com", "capacity", 10, "availability", "ONLINE", "categoryIds",
				List.of(category)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		var agentId = UUID.fromString(created.body().get("id").asText());
		try (var refused = new RefusedWrites(jdbc).on("ticket", "UPDATE",
				"OLD.assignee_id IS DISTINCT FROM NEW.assignee_id", "assignee_id")) {
			refused.refuse(agentId);
			var ticket = UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "s",
					"requester", Map.of("email", "r@example.com"), "categoryId", category)).body().get("id").asText());
			var letter = awaitDeadLetter("helpdesk.assignment", "assign", ticket);
			assertThat(assignee(merchant, ticket)).isNull();

			refused.allow(agentId);
			requeue(letter, Requeue.OPERATIONS_API);
			await().atMost(WAIT).until(() -> agentId.toString().equals(assignee(merchant, ticket)));
			awaitSucceededAndNoDeadLetter(letter);
			var version = ticketVersion(ticket);

			runAgain(jobId(letter));
			assertThat(assignee(merchant, ticket)).isEqualTo(agentId.toString());
			assertThat(ticketVersion(ticket)).isEqualTo(version);
		}
	}

	@Test
	void enrichmentFailedForGoodEnrichesOnceWhenRequeued() throws IOException {
		var down = new AtomicBoolean(true);
		var endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		endpoint.createContext("/enrich", exchange -> {
			exchange.getRequestBody().readAllBytes();
			var answer = (down.get() ? "{\"error\":\"down\"}" : "{\"tier\":\"gold\"}").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(down.get() ? 503 : 200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		endpoint.start();
		try {
			var merchant = api.newMerchant();
			var settings = api.put("/api/v1/settings", merchant.adminKey(), Map.of("enrichmentUrl",
					"http://127.0.0.1:" + endpoint.getAddress().getPort() + "/enrich", "webhookSecret", SECRET));
			assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
			// a ticket with context is enriched
			var created = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Where is my order",
					"requester", Map.of("email", "ann@example.com"), "context", Map.of("orderId", "A-1")));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			var ticket = UUID.fromString(created.body().get("id").asText());
			var letter = awaitDeadLetter("helpdesk.context-enrichment", "enrich", ticket);
			assertThat(enrichment(ticket)).isNull();

			down.set(false);
			requeue(letter, Requeue.OPERATIONS_API);
			await().atMost(WAIT).until(() -> enrichment(ticket) != null);
			awaitSucceededAndNoDeadLetter(letter);
			var enrichment = enrichment(ticket);
			assertThat(enrichment.get("endpoint").get("tier").asText()).isEqualTo("gold");
			var version = ticketVersion(ticket);

			runAgain(jobId(letter));
			assertThat(enrichment(ticket)).isEqualTo(enrichment);
			assertThat(ticketVersion(ticket)).isEqualTo(version);
		}
		finally {
			endpoint.stop(0);
		}
	}

	@Test
	void escalationBatchFailedForGoodRunsLevelOneOnceWhenRequeued() {
		var merchant = api.newMerchant();
		var supervisor = given.agent(merchant, Scenarios.domain());
		escalationPolicy(merchant, """
				{"levels": [{"after": "PT0S", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s"]}]}"""
			.formatted(supervisor.id()));
		try (var refused = new RefusedWrites(jdbc).on("sla_escalation", "UPDATE",
				"OLD.next_level IS DISTINCT FROM NEW.next_level", "ticket_id")) {
			var ticket = breachingTicket(merchant);
			refused.refuse(ticket);
			sweepAfterBreach(ticket);
			var letter = awaitDeadLetter("helpdesk.escalation", "escalation-batch", ticket);
			assertThat(escalation(ticket)).isEqualTo("ACTIVE/1");
			assertThat(escalatedNotifications(ticket)).isZero();

			refused.allow(ticket);
			requeue(letter, Requeue.OPERATIONS_API);
			await().atMost(WAIT).until(() -> escalation(ticket).equals("COMPLETED/2"));
			awaitSucceededAndNoDeadLetter(letter);
			await().atMost(WAIT).until(() -> escalatedNotifications(ticket) > 0);
			var notified = escalatedNotifications(ticket);

			runAgain(jobId(letter));
			assertThat(escalation(ticket)).isEqualTo("COMPLETED/2");
			assertThat(escalatedNotifications(ticket)).isEqualTo(notified);
		}
	}

	@Test
	void escalationLevelFailedForGoodRunsOnceWhenRequeued() {
		var merchant = api.newMerchant();
		escalationPolicy(merchant, """
				{"levels": [{"after": "PT0S", "action": "NOTIFY_SUPERVISOR"}, {"after": "PT1S", "action": "RAISE_PRIORITY"}]}""");
		try (var refused = new RefusedWrites(jdbc).on("ticket", "UPDATE", "OLD.priority IS DISTINCT FROM NEW.priority",
				"id")) {
			var ticket = breachingTicket(merchant);
			refused.refuse(ticket);
			sweepAfterBreach(ticket);
			var letter = awaitDeadLetter("helpdesk.escalation", "escalation", ticket);
			assertThat(letter.get("arguments").get("level").asInt()).isEqualTo(2);
			assertThat(escalation(ticket)).isEqualTo("ACTIVE/2");
			assertThat(priority(merchant, ticket)).isEqualTo("MEDIUM");

			refused.allow(ticket);
			requeue(letter, Requeue.OPERATIONS_API);
			await().atMost(WAIT).until(() -> escalation(ticket).equals("COMPLETED/3"));
			awaitSucceededAndNoDeadLetter(letter);
			assertThat(priority(merchant, ticket)).isEqualTo("HIGH");
			var version = ticketVersion(ticket);

			runAgain(jobId(letter));
			assertThat(escalation(ticket)).isEqualTo("COMPLETED/3");
			assertThat(priority(merchant, ticket)).isEqualTo("HIGH");
			assertThat(ticketVersion(ticket)).isEqualTo(version);
		}
	}

	@Test
	void surveyTriggerFailedForGoodCreatesTheSurveyOnceWhenRequeued() {
		var merchant = api.newMerchant();
		var customers = Scenarios.domain();
		try (var refused = new RefusedWrites(jdbc).on("survey", "INSERT", "true", "ticket_id")) {
			var ticket = given.ticket(merchant, customers);
			refused.refuse(ticket.id());
			given.status(merchant, ticket, "RESOLVED");
			var letter = awaitDeadLetter("helpdesk.survey-trigger", "survey-trigger", ticket.id());
			assertThat(surveys(ticket.id())).isZero();

			refused.allow(ticket.id());
			requeue(letter, Requeue.OPERATIONS_API);
			await().atMost(WAIT).until(() -> surveys(ticket.id()) == 1);
			awaitSucceededAndNoDeadLetter(letter);
			// the survey's mail to the requester, from SurveyRequested
			await().atMost(WAIT).until(() -> TestMail.to(customers).stream()
				.anyMatch(mail -> mail.body().contains("https://help.example.test")));
			var mails = TestMail.to(customers).size();

			runAgain(jobId(letter));
			assertThat(surveys(ticket.id())).isEqualTo(1);
			assertThat(TestMail.to(customers)).hasSize(mails);
		}
	}

	// dead letters and jobs

	private JsonNode awaitDeadLetter(String queue, String jobName, UUID mentioned) {
		return await().atMost(WAIT).until(() -> deadLetter(queue, jobName, mentioned), letter -> letter != null);
	}

	private JsonNode deadLetter(String queue, String jobName, UUID mentioned) {
		var response = api.get("/ops/v1/dead-letters?queue=" + queue + "&size=500", TestApi.OPS_TOKEN);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		for (var item : response.body().get("items")) {
			if (item.get("jobName").asText().equals(jobName)
					&& item.get("arguments").toString().contains(mentioned.toString())) {
				return item;
			}
		}
		return null;
	}

	private static UUID jobId(JsonNode letter) {
		return UUID.fromString(letter.get("jobId").asText());
	}

	private void requeue(JsonNode letter, Requeue via) {
		switch (via) {
			case OPERATIONS_API -> {
				var response = api.post("/ops/v1/dead-letters/" + letter.get("id").asText() + "/requeue",
						TestApi.OPS_TOKEN, "");
				assertThat(response.status()).as(response.toString()).isEqualTo(202);
			}
			case DASHBOARD -> assertThat(dashboardRequeue(jobId(letter)).statusCode()).isEqualTo(204);
		}
	}

	/** The requeued job succeeded, and its dead letter is gone (whichever way it was requeued). */
	private void awaitSucceededAndNoDeadLetter(JsonNode letter) {
		await().atMost(WAIT).until(() -> jobState(jobId(letter)).equals("SUCCEEDED"));
		var items = api.get("/ops/v1/dead-letters?size=500", TestApi.OPS_TOKEN).body().get("items");
		for (var item : items) {
			assertThat(item.get("jobId").asText()).isNotEqualTo(letter.get("jobId").asText());
		}
	}

	/** Runs a succeeded job once more, through the dashboard's requeue, and waits until it has succeeded again. */
	private void runAgain(UUID jobId) {
		var states = historySize(jobId);
		assertThat(jobState(jobId)).isEqualTo("SUCCEEDED");
		assertThat(dashboardRequeue(jobId).statusCode()).isEqualTo(204);
		await().atMost(WAIT).until(() -> historySize(jobId) > states && jobState(jobId).equals("SUCCEEDED"));
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional().orElse("NONE");
	}

	private int historySize(UUID jobId) {
		return jdbc.sql("SELECT jsonb_array_length(jobAsJson::jsonb -> 'jobHistory') FROM jobrunr_jobs WHERE id = ?")
			.param(jobId.toString()).query(Integer.class).single();
	}

	private static HttpResponse<String> dashboardRequeue(UUID jobId) {
		var request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + DASHBOARD_PORT + "/api/jobs/" + jobId + "/requeue"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((DASHBOARD_USER + ":" + DASHBOARD_PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.noBody());
		try {
			return DASHBOARD.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	// notifications

	private UUID awaitNotification(UUID ticketId, String type, String channel) {
		return await().atMost(WAIT).until(() -> jdbc.sql("""
				SELECT id FROM notification WHERE ticket_id = ? AND type = ? AND channel = ?""")
			.params(ticketId, type, channel)
			.query(UUID.class)
			.optional()
			.orElse(null), id -> id != null);
	}

	private String notificationState(UUID notificationId) {
		return jdbc.sql("SELECT state FROM notification WHERE id = ?").param(notificationId).query(String.class)
			.single();
	}

	/** Sets the agent's channels of some notification types, delivered at once. */
	private void preferences(Scenarios.Agent agent, Map<String, List<String>> channelsByType) {
		var types = new java.util.HashMap<String, Object>();
		channelsByType.forEach((type, channels) -> types.put(type, Map.of("channels", channels, "delivery", "IMMEDIATE")));
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types", types));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
	}

	private long inboxSize(Scenarios.Agent agent) {
		return api.get("/api/v1/notifications", agent.key()).body().get("totalItems").asLong();
	}

	// tickets, SLA, surveys

	private String assignee(TestApi.Merchant merchant, UUID ticket) {
		var assignee = api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("assigneeId");
		return assignee == null || assignee.isNull() ? null : assignee.asText();
	}

	private String priority(TestApi.Merchant merchant, UUID ticket) {
		return api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("priority").asText();
	}

	private long ticketVersion(UUID ticket) {
		return jdbc.sql("SELECT version FROM ticket WHERE id = ?").param(ticket).query(Long.class).single();
	}

	private JsonNode enrichment(UUID ticket) throws IOException {
		var text = jdbc.sql("SELECT enrichment::text FROM ticket WHERE id = ?").param(ticket).query(String.class)
			.optional().orElse(null);
		return text == null ? null : new ObjectMapper().readTree(text);
	}

	private void escalationPolicy(TestApi.Merchant merchant, String policy) {
		assertThat(api.put("/api/v1/sla-policies/MEDIUM", merchant.adminKey(),
				Map.of("firstResponse", "PT1S", "resolution", "PT1H")).status()).isEqualTo(200);
		var put = api.put("/api/v1/escalation-policy", merchant.adminKey(), policy);
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
	}

	/** A MEDIUM ticket (first response due 1 s after creation) whose SLA clocks run. */
	private UUID breachingTicket(TestApi.Merchant merchant) {
		var created = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Late parcel", "requester", Map.of("email", "eve@example.com"), "priority", "MEDIUM"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		var ticket = UUID.fromString(created.body().get("id").asText());
		await().atMost(WAIT).until(() -> jdbc.sql("SELECT count(*) FROM sla_clock WHERE ticket_id = ?").param(ticket)
			.query(Long.class).single() == 2);
		return ticket;
	}

	/** Runs the SLA monitor once the ticket's first response is overdue, and waits for its escalation to open. */
	private void sweepAfterBreach(UUID ticket) {
		var due = jdbc.sql("SELECT due_at FROM sla_clock WHERE ticket_id = ? AND metric = 'FIRST_RESPONSE'")
			.param(ticket).query(java.sql.Timestamp.class).single().toInstant();
		await().atMost(WAIT).until(() -> Instant.now().isAfter(due));
		assertThat(api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "").status()).isEqualTo(202);
		await().atMost(WAIT).until(() -> escalation(ticket) != null);
	}

	/** The ticket's escalation as {@code <state>/<next level>}; null when it has none. */
	private String escalation(UUID ticket) {
		return jdbc.sql("SELECT state || '/' || next_level FROM sla_escalation WHERE ticket_id = ?").param(ticket)
			.query(String.class).optional().orElse(null);
	}

	private long escalatedNotifications(UUID ticket) {
		return jdbc.sql("SELECT count(*) FROM notification WHERE ticket_id = ? AND type = 'TICKET_ESCALATED'")
			.param(ticket).query(Long.class).single();
	}

	private long surveys(UUID ticket) {
		return jdbc.sql("SELECT count(*) FROM survey WHERE ticket_id = ?").param(ticket).query(Long.class).single();
	}

	private static int freePort() {
		try (var socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
