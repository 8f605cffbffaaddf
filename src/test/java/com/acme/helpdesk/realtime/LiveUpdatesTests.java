package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.sla.EscalationAction;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaMetric;
import com.acme.helpdesk.sla.SlaWarning;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.surveys.SurveyAnswered;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.RawStomp;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.tickets.TicketContextEnriched;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;

@HelpdeskTest
class LiveUpdatesTests {

	@Autowired
	TestApi api;

	@Autowired
	LiveNotifications notifications;

	@Autowired
	LiveEventListeners listeners;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	@Value("${local.server.port}")
	int port;

	/** How long a test waits for a frame that must come: generous, the push is best-effort after the commit. */
	static final long PUSHED = 10_000;

	Merchant merchant;
	final List<LiveClient> clients = new ArrayList<>();

	@BeforeEach
	void setUp() {
		merchant = api.newMerchant();
	}

	@AfterEach
	void tearDown() {
		clients.forEach(LiveClient::close);
	}

	@Test
	void ticketRoomReceivesMessageStatusAndAssignmentEventsWithTheEnvelope() {
		var ticketId = createTicket(merchant, "Card declined");
		var agent = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 5, "availability", "ONLINE"));
		var agentId = agent.body().get("id").asText();
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId)).isTrue();

		var message = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "Hello", "authorType", "CUSTOMER"));
		assertThat(message.status()).isEqualTo(201);
		var messageId = message.body().get("id").asText();
		var messageFrame = client.nextFrame("ticket.message.created", PUSHED); // a late ticket.created is skipped
		assertThat(messageFrame).as("ticket.message.created pushed").isNotNull();
		var envelope = messageFrame.envelope();
		assertThat(envelope.get("topic").asText()).isEqualTo("observation/helpdesk");
		assertThat(envelope.get("room").asText()).isEqualTo("helpdesk/" + ticketId + "/" + messageId);
		assertThat(envelope.get("event").asText()).isEqualTo("ticket.message.created");
		assertThat(envelope.get("merchantId").asText()).isEqualTo(merchant.id().toString());
		assertThat(envelope.get("ticketId").asText()).isEqualTo(ticketId);
		assertThat(envelope.get("messageId").asText()).isEqualTo(messageId);
		assertThat(Instant.parse(envelope.get("occurredAt").asText())).as("the message's creation")
			.isEqualTo(Instant.parse(message.body().get("createdAt").asText()));
		assertThat(envelope.get("data").get("authorType").asText()).isEqualTo("CUSTOMER");
		assertThat(messageFrame.destination()).isEqualTo("/topic/helpdesk/" + ticketId);
		assertThat(messageFrame.eventId()).isNotBlank();

		var status = api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
				Map.of("status", "IN_PROGRESS", "reason", "looking"));
		assertThat(status.status()).isEqualTo(200);
		var statusFrame = client.nextFrame("ticket.status_changed", PUSHED);
		assertThat(statusFrame).as("ticket.status_changed pushed").isNotNull();
		assertThat(statusFrame.event()).isEqualTo("ticket.status_changed");
		assertThat(statusFrame.envelope().get("room").asText()).isEqualTo("helpdesk/" + ticketId);
		assertThat(statusFrame.envelope().has("messageId")).isTrue();
		assertThat(statusFrame.envelope().get("messageId").isNull()).isTrue();
		assertThat(statusFrame.envelope().get("data").get("from").asText()).isEqualTo("OPEN");
		assertThat(statusFrame.envelope().get("data").get("to").asText()).isEqualTo("IN_PROGRESS");
		assertThat(statusFrame.envelope().get("ticketVersion").asLong()).as("the version the change committed")
			.isEqualTo(status.body().get("version").asLong())
			.isGreaterThan(messageFrame.envelope().get("ticketVersion").asLong());

		var assigned = api.post("/api/v1/tickets/" + ticketId + "/assignment", merchant.adminKey(),
				Map.of("agentId", agentId));
		assertThat(assigned.status()).isEqualTo(200);
		var assignedFrame = client.nextFrame("ticket.assigned", PUSHED);
		assertThat(assignedFrame).as("ticket.assigned pushed").isNotNull();
		assertThat(assignedFrame.event()).isEqualTo("ticket.assigned");
		assertThat(assignedFrame.envelope().get("data").get("agentId").asText()).isEqualTo(agentId);
		assertThat(assignedFrame.envelope().get("merchantId").asText()).isEqualTo(merchant.id().toString());
		assertThat(assignedFrame.envelope().get("ticketVersion").asLong()).isEqualTo(assigned.body().get("version").asLong());
	}

	@Test
	void messageRoomAndMerchantTopicReceiveTheirEvents() {
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/observation/helpdesk/" + merchant.id())).isTrue();

		var ticketId = createTicket(merchant, "Refund");
		var created = client.nextFrame(PUSHED);
		assertThat(created).isNotNull();
		assertThat(created.event()).isEqualTo("ticket.created");
		assertThat(created.envelope().get("room").asText()).isEqualTo("helpdesk/" + ticketId);
		assertThat(created.envelope().get("data").get("subject").asText()).isEqualTo("Refund");
		assertThat(created.envelope().get("data").get("status").asText()).isEqualTo("OPEN");
		assertThat(created.destination()).isEqualTo("/topic/observation/helpdesk/" + merchant.id());
		assertThat(created.envelope().get("ticketVersion").asLong()).isEqualTo(
				api.get("/api/v1/tickets/" + ticketId, merchant.adminKey()).body().get("version").asLong());

		var messageId = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "First", "authorType", "CUSTOMER")).body().get("id").asText();
		assertThat(client.nextFrame(PUSHED).event()).isEqualTo("ticket.message.created");
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId + "/" + messageId)).isTrue();

		listeners.on(new TicketStatusChanged(UUID.randomUUID(), UUID.fromString(ticketId), merchant.id(), TicketStatus.OPEN,
				TicketStatus.PENDING, null, null, Instant.now(), 1));
		var onTopic = client.nextFrame(PUSHED);
		assertThat(onTopic.event()).isEqualTo("ticket.status_changed");
		assertThat(client.nextFrame(300)).as("a status change is not pushed to a message room").isNull();
	}

	/** Publishes the event in its own committed transaction, as its module does. */
	void publish(Object event) {
		transactions.executeWithoutResult(status -> events.publishEvent(event));
	}

	/** The data of the frame of {@code event} pushed to the ticket's room, after its envelope is checked. */
	com.fasterxml.jackson.databind.JsonNode pushed(LiveClient client, String event, UUID ticketId, Instant occurredAt) {
		var frame = client.nextFrame(event, PUSHED);
		assertThat(frame).as(event + " pushed").isNotNull();
		assertThat(frame.destination()).isEqualTo("/topic/helpdesk/" + ticketId);
		assertThat(frame.eventId()).isNotBlank();
		var envelope = frame.envelope();
		assertThat(envelope.fieldNames()).toIterable()
			.containsExactly("topic", "room", "event", "merchantId", "ticketId", "messageId", "occurredAt", "ticketVersion", "data");
		assertThat(envelope.get("topic").asText()).isEqualTo("observation/helpdesk");
		assertThat(envelope.get("room").asText()).isEqualTo("helpdesk/" + ticketId);
		assertThat(envelope.get("event").asText()).isEqualTo(event);
		assertThat(envelope.get("merchantId").asText()).isEqualTo(merchant.id().toString());
		assertThat(envelope.get("ticketId").asText()).isEqualTo(ticketId.toString());
		assertThat(envelope.get("messageId").isNull()).isTrue();
		assertThat(Instant.parse(envelope.get("occurredAt").asText())).isEqualTo(occurredAt);
		return envelope.get("data");
	}

	@Test
	void ticketRoomReceivesSlaEscalationEnrichmentAndSurveyEventsWithTheEnvelope() {
		var ticketId = UUID.fromString(createTicket(merchant, "Slow"));
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId)).isTrue();
		var now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
		var clockId = UUID.randomUUID();
		var supervisor = UUID.randomUUID();
		var assignee = UUID.randomUUID();

		publish(new SlaWarning(UUID.randomUUID(), ticketId, merchant.id(), clockId,
				SlaMetric.FIRST_RESPONSE, 1, now, now.plusSeconds(60), now));
		var warning = pushed(client, "sla.warning", ticketId, now);
		assertThat(warning.get("metric").asText()).isEqualTo("FIRST_RESPONSE");
		assertThat(warning.get("cycle").asInt()).isEqualTo(1);
		assertThat(Instant.parse(warning.get("warnAt").asText())).isEqualTo(now);
		assertThat(Instant.parse(warning.get("dueAt").asText())).isEqualTo(now.plusSeconds(60));

		var breachedAt = now.plusSeconds(60);
		publish(new SlaBreached(UUID.randomUUID(), ticketId, merchant.id(), clockId,
				SlaMetric.FIRST_RESPONSE, 1, breachedAt, breachedAt));
		var breach = pushed(client, "sla.breached", ticketId, breachedAt);
		assertThat(breach.get("metric").asText()).isEqualTo("FIRST_RESPONSE");
		assertThat(breach.get("cycle").asInt()).isEqualTo(1);
		assertThat(Instant.parse(breach.get("dueAt").asText())).isEqualTo(breachedAt);

		var escalatedAt = breachedAt.plusSeconds(1);
		publish(new TicketEscalated(UUID.randomUUID(), ticketId, merchant.id(), UUID.randomUUID(),
				1, EscalationAction.REASSIGN, List.of(supervisor), assignee, breachedAt, escalatedAt));
		var escalated = pushed(client, "ticket.escalated", ticketId, escalatedAt);
		assertThat(escalated.get("level").asInt()).isEqualTo(1);
		assertThat(escalated.get("action").asText()).isEqualTo("REASSIGN");
		assertThat(escalated.get("supervisorAgentIds").toString()).isEqualTo("[\"" + supervisor + "\"]");
		assertThat(escalated.get("assigneeId").asText()).isEqualTo(assignee.toString());
		assertThat(Instant.parse(escalated.get("breachedAt").asText())).isEqualTo(breachedAt);

		var enrichedAt = escalatedAt.plusSeconds(1);
		publish(new TicketContextEnriched(UUID.randomUUID(), ticketId, merchant.id(), enrichedAt, 1));
		assertThat(pushed(client, "ticket.context_enriched", ticketId, enrichedAt).isObject())
			.isTrue();

		var answeredAt = enrichedAt.plusSeconds(1);
		var surveyId = UUID.randomUUID();
		publish(new SurveyAnswered(UUID.randomUUID(), surveyId, merchant.id(), ticketId, assignee, 5, answeredAt));
		var answered = pushed(client, "survey.answered", ticketId, answeredAt);
		assertThat(answered.get("surveyId").asText()).isEqualTo(surveyId.toString());
		assertThat(answered.get("rating").asInt()).isEqualTo(5);
		assertThat(answered.get("agentId").asText()).isEqualTo(assignee.toString());
	}

	@Test
	void aMessagesRoomReceivesTheEventsCarryingItsMessageId() {
		var ticketId = createTicket(merchant, "Threaded");
		var message = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "First", "authorType", "CUSTOMER"));
		assertThat(message.status()).isEqualTo(201);
		var messageId = message.body().get("id").asText();
		var other = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "Second", "authorType", "CUSTOMER")).body().get("id").asText();
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId + "/" + messageId)).isTrue();

		// both messages' events pushed again: the room gets its own message's only
		for (var id : List.of(messageId, other)) {
			listeners.on(new TicketMessageCreated(UUID.randomUUID(), UUID.fromString(ticketId), merchant.id(),
					UUID.fromString(id), AuthorType.CUSTOMER, null, false, false, Instant.now(), 2));
		}

		var frame = client.nextFrame(PUSHED);
		assertThat(frame).as("the message's event in its room").isNotNull();
		assertThat(frame.destination()).isEqualTo("/topic/helpdesk/" + ticketId + "/" + messageId);
		assertThat(frame.event()).isEqualTo("ticket.message.created");
		assertThat(frame.envelope().get("room").asText()).isEqualTo("helpdesk/" + ticketId + "/" + messageId);
		assertThat(frame.envelope().get("messageId").asText()).isEqualTo(messageId);
		assertThat(frame.envelope().get("ticketId").asText()).isEqualTo(ticketId);
		assertThat(client.nextFrame(500)).as("nothing of message " + other + " in this room").isNull();
	}

	@Test
	void aReplayedEventIsPushedWithTheSameEventId() {
		var ticketId = UUID.fromString(createTicket(merchant, "Twice"));
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/helpdesk/" + ticketId)).isTrue();
		var event = new TicketStatusChanged(UUID.randomUUID(), ticketId, merchant.id(), TicketStatus.OPEN, TicketStatus.PENDING, "wait",
				null, Instant.parse("2025-01-01T10:00:00Z"), 1);

		listeners.on(event);
		listeners.on(event);

		var first = client.nextFrame("ticket.status_changed", PUSHED);
		var second = client.nextFrame("ticket.status_changed", PUSHED);
		assertThat(second.eventId()).isEqualTo(first.eventId());
		assertThat(second.envelope()).isEqualTo(first.envelope());
	}

	@Test
	void refusesConnectWithoutOrWithAWrongKey() {
		try (var anonymous = new RawStomp(port); var wrong = new RawStomp(port)) {
			assertThat(anonymous.connect(null).next()).startsWith("ERROR\n")
				.contains("message:CONNECT needs the header Authorization with the value Bearer <api key>");
			assertThat(anonymous.next()).startsWith("CLOSE");
			assertThat(wrong.connect("hd_not-a-key").next()).startsWith("ERROR\n")
				.contains("message:Unknown or revoked API key");
			assertThat(wrong.next()).startsWith("CLOSE");
		}
		var client = LiveClient.connecting(port, "hd_not-a-key");
		clients.add(client);
		assertThat(client.nextError()).contains("Unknown or revoked API key");
	}

	@Test
	void refusesSubscriptionsToAnotherMerchantsDestinations() {
		var other = api.newMerchant();
		var othersTicket = createTicket(other, "Not yours");
		var forbidden = List.of("/topic/observation/helpdesk/" + other.id(), "/topic/helpdesk/" + othersTicket,
				"/topic/helpdesk/" + othersTicket + "/" + UUID.randomUUID(), "/topic/helpdesk/" + UUID.randomUUID(),
				"/topic/helpdesk/*", "/topic/observation/helpdesk/" + merchant.id() + "/x", "/queue/anything",
				"/user/queue/other");
		for (var destination : forbidden) {
			try (var stomp = new RawStomp(port)) {
				assertThat(stomp.connect(merchant.adminKey()).next()).startsWith("CONNECTED\n");
				stomp.send("SUBSCRIBE", null, "id:1", "destination:" + destination, "receipt:r1");
				assertThat(stomp.next()).as("refusal of " + destination)
					.startsWith("ERROR\n")
					.containsAnyOf("message:Access denied to " + destination, "message:No such destination " + destination);
				assertThat(stomp.next()).startsWith("CLOSE");
			}
		}
		var client = connect(merchant.adminKey());
		client.subscribeNoWait("/topic/observation/helpdesk/" + other.id());
		assertThat(client.nextError()).as("Spring's STOMP client sees the refusal too").contains("Access denied");

		var allowed = connect(other.adminKey());
		assertThat(allowed.subscribe("/topic/helpdesk/" + othersTicket)).isTrue();
		assertThat(allowed.subscribe("/topic/observation/helpdesk/" + other.id())).isTrue();
	}

	@Test
	void refusesFramesSentByClients() {
		var ticketId = createTicket(merchant, "Forged");
		try (var stomp = new RawStomp(port)) {
			assertThat(stomp.connect(merchant.adminKey()).next()).startsWith("CONNECTED\n")
				.contains("user-name:" + merchant.id() + ":admin");

			stomp.send("SEND", "{}", "destination:/topic/helpdesk/" + ticketId, "content-type:application/json");

			assertThat(stomp.next()).startsWith("ERROR\n").contains("message:Clients may not send to destinations");
			assertThat(stomp.next()).startsWith("CLOSE");
		}
	}

	@Test
	void exposesSessionBrokerAndPushMetrics() {
		var client = connect(merchant.adminKey());
		assertThat(client.subscribe("/topic/observation/helpdesk/" + merchant.id())).isTrue();
		createTicket(merchant, "Counted");
		assertThat(client.nextFrame(PUSHED)).isNotNull();

		assertThat(meters.get("helpdesk.realtime.sessions").gauge().value()).isGreaterThanOrEqualTo(1);
		assertThat(meters.get("helpdesk.realtime.broker.available").gauge().value()).isEqualTo(1);
		assertThat(meters.get("helpdesk.realtime.events.pushed").tag("event", "ticket.created").counter().count())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void inAppNotificationsReachOnlyTheirAgent() {
		var ann = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 5, "availability", "ONLINE")).body();
		var bob = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Bob", "email", "bob@example.com", "capacity", 5, "availability", "ONLINE")).body();
		var annClient = connect(ann.get("apiKey").asText());
		var bobClient = connect(bob.get("apiKey").asText());
		assertThat(annClient.subscribe("/user/queue/notifications")).isTrue();
		assertThat(bobClient.subscribe("/user/queue/notifications")).isTrue();
		var notificationId = UUID.randomUUID();

		notifications.push(merchant.id(), UUID.fromString(ann.get("id").asText()), notificationId, null,
				Map.of("type", "TICKET_ASSIGNED", "text", "A ticket for you"));

		var frame = annClient.nextFrame(PUSHED);
		assertThat(frame).isNotNull();
		assertThat(frame.event()).isEqualTo("notification.created");
		assertThat(frame.eventId()).isEqualTo(notificationId.toString());
		assertThat(frame.envelope().get("data").get("type").asText()).isEqualTo("TICKET_ASSIGNED");
		assertThat(bobClient.nextFrame(300)).isNull();
	}

	private LiveClient connect(String key) {
		var client = LiveClient.connect(port, key);
		clients.add(client);
		return client;
	}

	private String createTicket(Merchant owner, String subject) {
		var response = api.post("/api/v1/tickets", owner.adminKey(),
				Map.of("subject", subject, "description", "Something", "requester", Map.of("email", "c@example.com")));
		assertThat(response.status()).isEqualTo(201);
		return response.body().get("id").asText();
	}

}
