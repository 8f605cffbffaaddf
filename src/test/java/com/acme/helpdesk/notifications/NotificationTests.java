package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.sla.EscalationAction;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaMetric;
import com.acme.helpdesk.sla.SlaWarning;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestMail;
import com.acme.helpdesk.support.TestWebhook;
import com.acme.helpdesk.support.WorkingHelpdeskTest;
import com.acme.helpdesk.tickets.AssignmentReason;
import com.acme.helpdesk.tickets.TicketAssignments;

/**
 * The notification rules end to end: real listeners, real job servers, a real SMTP server and a local webhook
 * endpoint. Every rule is checked again after all the ticket's event publications are resubmitted and every
 * delivery job is run twice more.
 */
@WorkingHelpdeskTest
class NotificationTests {

	static final Duration WAIT = Duration.ofSeconds(20);
	static final String SECRET = TestWebhook.secret("a-webhook-secret-of-some-length");

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DeliverNotification deliver;

	@Autowired
	DeliverNotificationBatch deliverBatch;

	@Autowired
	DigestSchedule digests;

	@Autowired
	SendDigest sendDigest;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	NotificationStore store;

	@Autowired
	TicketAssignments assignments;

	@Value("${local.server.port}")
	int port;

	Scenarios given;

	@BeforeEach
	void setUp() {
		given = new Scenarios(api, jdbc);
	}

	record Stored(UUID id, UUID merchantId, String recipient, String type, String channel, String state) {
	}

	List<Stored> notificationsOf(UUID ticketId) {
		return jdbc.sql("""
				SELECT id, merchant_id, recipient, type, channel, state FROM notification WHERE ticket_id = ?
				ORDER BY type, recipient, channel""")
			.param(ticketId)
			.query(Stored.class)
			.list();
	}

	void awaitDelivered(UUID ticketId, int count) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(notificationsOf(ticketId)).hasSize(count)
			.allSatisfy(n -> assertThat(n.state()).isIn("SENT", "COLLECTED")));
	}

	/** Replays the ticket's events, then runs every delivery job of its notifications twice more. */
	void replayAndRunJobsTwice(UUID ticketId) throws Exception {
		given.replayEventsOf(ticketId);
		for (var n : notificationsOf(ticketId)) {
			var run = new JobRun(UUID.randomUUID(), "test-rerun:" + n.id(), JobQueue.NOTIFICATION, "notification", 1);
			deliver.run(new NotificationJob.Deliver(n.merchantId(), List.of(n.id()), n.channel().equals("IN_APP")), run);
			deliver.run(new NotificationJob.Deliver(n.merchantId(), List.of(n.id()), n.channel().equals("IN_APP")), run);
			var batch = new NotificationJob.Batch(n.merchantId(), List.of(n.id()));
			deliverBatch.run(batch, run);
		}
	}

	List<String> types(List<Stored> stored, String recipient) {
		return stored.stream().filter(n -> n.recipient().equals(recipient)).map(n -> n.type() + "/" + n.channel()).toList();
	}

	/**
	 * Marking a notification sent rewrites its row on its page without writing any index again (a HOT update): no index
	 * depends on a column the delivery changes. Counted in the delivering transaction itself.
	 */
	@Test
	void deliveringANotificationRewritesItsRowWithoutWritingAnIndex() {
		var merchant = api.newMerchant();
		var agentId = UUID.randomUUID();
		var ticketId = UUID.randomUUID();
		var payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
		var inserted = store.insertAll(merchant.id(), UUID.randomUUID(), java.time.Instant.now(), List.of(
				new NotificationStore.NewNotification(NotificationStore.RecipientKind.AGENT, agentId.toString(), agentId,
						"agent@example.com", NotificationType.TICKET_ASSIGNED, Channel.IN_APP,
						NotificationStore.State.PENDING, ticketId, payload),
				new NotificationStore.NewNotification(NotificationStore.RecipientKind.REQUESTER, "requester@example.com",
						null, "requester@example.com", NotificationType.STATUS_CHANGED, Channel.EMAIL,
						NotificationStore.State.PENDING, ticketId, payload)));
		assertThat(inserted).hasSize(2);

		// the backend's counts also hold earlier transactions' until PostgreSQL flushes them (at most once a second,
		// between transactions), so this transaction's are the difference
		var updates = transactions.execute(status -> {
			var before = notificationUpdates();
			for (var notification : inserted) {
				assertThat(store.lock(merchant.id(), notification.id())).isPresent();
				store.markSent(notification.id(), java.time.Instant.now());
			}
			var after = notificationUpdates();
			return List.of(after.get(0) - before.get(0), after.get(1) - before.get(1));
		});

		assertThat(updates).as("[updated, of which HOT]").containsExactly(2L, 2L);
		assertThat(store.inbox(merchant.id(), agentId, 0, 10)).as("the agent's inbox")
			.singleElement()
			.satisfies(listed -> assertThat(listed.state()).isEqualTo(NotificationStore.State.SENT));
	}

	/** Rows of {@code notification} updated, and of those HOT, as this backend counts them. */
	private List<Long> notificationUpdates() {
		return jdbc.sql("""
				SELECT pg_stat_get_xact_tuples_updated('notification'::regclass),
				       pg_stat_get_xact_tuples_hot_updated('notification'::regclass)""")
			.query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
			.single();
	}

	@Test
	void assignmentNotifiesTheAssigneeInAppAndByEmailOnceAfterReplaysAndReruns() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var customers = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		var ticket = given.ticket(merchant, customers);
		given.assign(merchant, ticket, agent);

		awaitDelivered(ticket.id(), 2);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 1);
		replayAndRunJobsTwice(ticket.id());

		assertThat(types(notificationsOf(ticket.id()), agent.id().toString()))
			.containsExactly("TICKET_ASSIGNED/EMAIL", "TICKET_ASSIGNED/IN_APP");
		var mails = TestMail.to(agents);
		assertThat(mails).hasSize(1);
		assertThat(mails.get(0).to()).isEqualTo(agent.email());
		assertThat(mails.get(0).subject()).contains("#" + ticket.number()).contains(ticket.subject());
		assertThat(TestMail.to(customers)).isEmpty();
		var inbox = api.get("/api/v1/notifications", agent.key()).body();
		assertThat(inbox.get("totalItems").asLong()).isEqualTo(1);
		assertThat(inbox.get("items").get(0).get("type").asText()).isEqualTo("TICKET_ASSIGNED");
		assertThat(inbox.get("items").get(0).get("payload").get("ticketNumber").asLong()).isEqualTo(ticket.number());
	}

	/**
	 * The assignments of one transaction are notified together just before it commits: a rolled-back one leaves no
	 * notification and no job; a committed one notifies each assignee once, an assignment made by a later
	 * just-before-commit callback included (it comes after the others were written).
	 */
	@Test
	void assignmentsOfOneTransactionAreNotifiedTogetherAndOnlyWhenItCommits() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var customers = Scenarios.domain();
		var first = given.agent(merchant, agents);
		var second = given.agent(merchant, agents);
		var a = given.ticket(merchant, customers);
		var b = given.ticket(merchant, customers);
		var late = given.ticket(merchant, customers);

		transactions.executeWithoutResult(status -> {
			assignments.assign(merchant.id(), a.id(), first.id(), AssignmentReason.manual());
			assignments.assign(merchant.id(), b.id(), second.id(), AssignmentReason.manual());
			status.setRollbackOnly();
		});
		assertThat(notificationsOf(a.id())).isEmpty();
		assertThat(notificationsOf(b.id())).isEmpty();
		assertThat(notificationJobsOf(merchant.id())).isZero();

		transactions.executeWithoutResult(status -> {
			assignments.assign(merchant.id(), a.id(), first.id(), AssignmentReason.manual());
			assignments.assign(merchant.id(), b.id(), second.id(), AssignmentReason.manual());
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					assignments.assign(merchant.id(), late.id(), first.id(), AssignmentReason.manual());
				}
			});
		});
		for (var ticket : List.of(a, b, late)) {
			awaitDelivered(ticket.id(), 2);
		}
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 3);
		for (var ticket : List.of(a, b, late)) {
			replayAndRunJobsTwice(ticket.id());
		}

		assertThat(types(notificationsOf(a.id()), first.id().toString()))
			.containsExactly("TICKET_ASSIGNED/EMAIL", "TICKET_ASSIGNED/IN_APP");
		assertThat(types(notificationsOf(b.id()), second.id().toString()))
			.containsExactly("TICKET_ASSIGNED/EMAIL", "TICKET_ASSIGNED/IN_APP");
		assertThat(types(notificationsOf(late.id()), first.id().toString()))
			.containsExactly("TICKET_ASSIGNED/EMAIL", "TICKET_ASSIGNED/IN_APP");
		assertThat(notificationJobsOf(merchant.id())).isEqualTo(3);
		assertThat(TestMail.to(agents)).extracting(TestMail.Mail::to)
			.containsExactlyInAnyOrder(first.email(), second.email(), first.email());
	}

	long notificationJobsOf(UUID merchantId) {
		return jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ?")
			.params("%\"job:notification\"%", "%" + merchantId + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void customerReplyNotifiesTheAssigneeAndPublicAgentReplyTheRequesterByEmailAndWebhook() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var customers = Scenarios.domain();
		try (var hook = new TestWebhook(SECRET, 200)) {
			given.webhook(merchant, hook, SECRET);
			var agent = given.agent(merchant, agents);
			var ticket = given.ticket(merchant, customers);
			given.assign(merchant, ticket, agent);
			awaitDelivered(ticket.id(), 2);
			given.message(merchant.adminKey(), ticket, "CUSTOMER", false);
			given.message(agent.key(), ticket, "AGENT", true); // internal note: nobody
			given.message(agent.key(), ticket, "AGENT", false);

			awaitDelivered(ticket.id(), 6);
			replayAndRunJobsTwice(ticket.id());

			var stored = notificationsOf(ticket.id());
			assertThat(types(stored, agent.id().toString())).containsExactly("CUSTOMER_REPLIED/EMAIL",
					"CUSTOMER_REPLIED/IN_APP", "TICKET_ASSIGNED/EMAIL", "TICKET_ASSIGNED/IN_APP");
			assertThat(types(stored, ticket.requesterEmail())).containsExactly("AGENT_REPLIED/EMAIL",
					"AGENT_REPLIED/WEBHOOK");
			assertThat(TestMail.to(customers)).singleElement()
				.satisfies(mail -> assertThat(mail.subject()).contains("#" + ticket.number()).contains(ticket.subject()));
			assertThat(TestMail.to(agents)).hasSize(2);
			assertThat(hook.calls()).singleElement().satisfies(call -> {
				assertThat(call.signatureValid()).isTrue();
				var body = call.json();
				assertThat(body.get("type").asText()).isEqualTo("AGENT_REPLIED");
				assertThat(body.get("merchantId").asText()).isEqualTo(merchant.id().toString());
				assertThat(body.get("ticketId").asText()).isEqualTo(ticket.id().toString());
				assertThat(body.get("recipient").get("email").asText()).isEqualTo(ticket.requesterEmail());
				assertThat(body.get("data").get("ticketNumber").asLong()).isEqualTo(ticket.number());
				assertThat(body.has("id")).isTrue();
				assertThat(body.has("occurredAt")).isTrue();
				assertThat(Long.parseLong(call.timestamp())).isCloseTo(System.currentTimeMillis() / 1000,
						org.assertj.core.data.Offset.offset(60L));
			});
		}
	}

	@Test
	void statusChangeNotifiesTheRequesterAndTheAssigneeAsPreferred() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var customers = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		// this agent wants status changes by email only, assignments in-app only
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("STATUS_CHANGED", Map.of("channels", List.of("EMAIL"), "delivery", "IMMEDIATE"),
						"TICKET_ASSIGNED", Map.of("channels", List.of("IN_APP"), "delivery", "IMMEDIATE"))));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		var ticket = given.ticket(merchant, customers);
		given.assign(merchant, ticket, agent);
		given.status(merchant, ticket, "PENDING");

		awaitDelivered(ticket.id(), 3);
		replayAndRunJobsTwice(ticket.id());

		var stored = notificationsOf(ticket.id());
		assertThat(types(stored, agent.id().toString())).containsExactly("STATUS_CHANGED/EMAIL", "TICKET_ASSIGNED/IN_APP");
		assertThat(types(stored, ticket.requesterEmail())).containsExactly("STATUS_CHANGED/EMAIL");
		assertThat(TestMail.to(customers)).singleElement()
			.satisfies(mail -> assertThat(mail.subject()).contains("#" + ticket.number()).contains("PENDING"));
		assertThat(TestMail.to(agents)).singleElement()
			.satisfies(mail -> assertThat(mail.subject()).contains("Status changed to PENDING"));
	}

	@Test
	void agentWhoChoseTheWebhookGetsItSigned() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		try (var hook = new TestWebhook(SECRET, 200)) {
			given.webhook(merchant, hook, SECRET);
			var agent = given.agent(merchant, agents);
			api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
					Map.of("TICKET_ASSIGNED", Map.of("channels", List.of("WEBHOOK"), "delivery", "IMMEDIATE"))));
			var ticket = given.ticket(merchant, Scenarios.domain());
			given.assign(merchant, ticket, agent);

			awaitDelivered(ticket.id(), 1);
			replayAndRunJobsTwice(ticket.id());

			assertThat(types(notificationsOf(ticket.id()), agent.id().toString()))
				.containsExactly("TICKET_ASSIGNED/WEBHOOK");
			assertThat(hook.calls()).singleElement().satisfies(call -> {
				assertThat(call.signatureValid()).isTrue();
				assertThat(call.json().get("recipient").get("agentId").asText()).isEqualTo(agent.id().toString());
			});
			assertThat(TestMail.to(agents)).isEmpty();
		}
	}

	/**
	 * Publishes the event twice, each time in its own transaction as the SLA monitor does (every listener of it runs),
	 * as two equal instances: a second delivery of an event is never the same object.
	 */
	void publishTwice(java.util.function.Supplier<Object> event) {
		for (int i = 0; i < 2; i++) {
			var instance = event.get();
			transactions.executeWithoutResult(status -> events.publishEvent(instance));
		}
	}

	void prefer(Scenarios.Agent agent, Map<String, List<String>> channels) {
		var types = new java.util.LinkedHashMap<String, Object>();
		channels.forEach((type, list) -> types.put(type, Map.of("channels", list, "delivery", "IMMEDIATE")));
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types", types));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
	}

	long jobsNaming(UUID id) {
		return jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + id + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void slaWarningNotifiesTheAssigneeAsPreferredOnceAfterReplaysAndReruns() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var assignee = given.agent(merchant, agents);
		var bystander = given.agent(merchant, agents);
		// in-app is the default for warnings; this assignee wants email too, and no assignment notifications
		prefer(assignee, Map.of("SLA_WARNING", List.of("IN_APP", "EMAIL"), "TICKET_ASSIGNED", List.of()));
		var ticket = given.ticket(merchant, Scenarios.domain());
		var unassigned = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, assignee);
		var now = java.time.Instant.now();
		var eventId = UUID.randomUUID();
		var clockId = UUID.randomUUID();

		publishTwice(() -> new SlaWarning(eventId, ticket.id(), merchant.id(), clockId, SlaMetric.FIRST_RESPONSE, 1, now,
				now.plusSeconds(600), now));
		var otherEventId = UUID.randomUUID();
		publishTwice(() -> new SlaWarning(otherEventId, unassigned.id(), merchant.id(), UUID.randomUUID(),
				SlaMetric.RESOLUTION, 1, now, now.plusSeconds(600), now));

		awaitDelivered(ticket.id(), 2);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 1);
		replayAndRunJobsTwice(ticket.id());
		replayAndRunJobsTwice(unassigned.id());

		var stored = notificationsOf(ticket.id());
		assertThat(types(stored, assignee.id().toString())).containsExactly("SLA_WARNING/EMAIL", "SLA_WARNING/IN_APP");
		assertThat(stored).hasSize(2);
		assertThat(notificationsOf(unassigned.id())).as("a warning of an unassigned ticket tells nobody").isEmpty();
		assertThat(TestMail.to(agents)).singleElement().satisfies(mail -> {
			assertThat(mail.to()).isEqualTo(assignee.email());
			assertThat(mail.subject()).contains("#" + ticket.number()).contains("SLA warning");
		});
		var inbox = api.get("/api/v1/notifications", assignee.key()).body();
		assertThat(inbox.get("totalItems").asLong()).isEqualTo(1);
		assertThat(inbox.get("items").get(0).get("type").asText()).isEqualTo("SLA_WARNING");
		assertThat(inbox.get("items").get(0).get("payload").get("metric").asText()).isEqualTo("FIRST_RESPONSE");
		assertThat(api.get("/api/v1/notifications", bystander.key()).body().get("totalItems").asLong()).isZero();
	}

	@Test
	void escalationNotifiesItsSupervisorsAndTheNewAssigneeAsPreferredInOneBatch() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var byDefault = given.agent(merchant, agents); // in-app and email
		var inAppOnly = given.agent(merchant, agents);
		var newAssignee = given.agent(merchant, agents);
		var bystander = given.agent(merchant, agents);
		prefer(inAppOnly, Map.of("TICKET_ESCALATED", List.of("IN_APP")));
		prefer(newAssignee, Map.of("TICKET_ESCALATED", List.of("EMAIL")));
		var ticket = given.ticket(merchant, Scenarios.domain());
		var now = java.time.Instant.now();
		var eventId = UUID.randomUUID();
		var escalationId = UUID.randomUUID();

		publishTwice(() -> new TicketEscalated(eventId, ticket.id(), merchant.id(), escalationId, 2,
				EscalationAction.REASSIGN, List.of(byDefault.id(), inAppOnly.id()), newAssignee.id(), now.minusSeconds(60),
				now));

		awaitDelivered(ticket.id(), 4);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 2);
		replayAndRunJobsTwice(ticket.id());

		var stored = notificationsOf(ticket.id());
		assertThat(stored).hasSize(4).allSatisfy(n -> assertThat(n.type()).isEqualTo("TICKET_ESCALATED"));
		assertThat(types(stored, byDefault.id().toString())).containsExactly("TICKET_ESCALATED/EMAIL",
				"TICKET_ESCALATED/IN_APP");
		assertThat(types(stored, inAppOnly.id().toString())).containsExactly("TICKET_ESCALATED/IN_APP");
		assertThat(types(stored, newAssignee.id().toString())).containsExactly("TICKET_ESCALATED/EMAIL");
		assertThat(jobsNaming(stored.get(0).id())).as("one notification-batch job for the three agents").isEqualTo(1);
		assertThat(TestMail.to(agents)).hasSize(2)
			.allSatisfy(mail -> assertThat(mail.subject()).contains("#" + ticket.number()).contains("Ticket escalated"))
			.extracting(TestMail.Mail::to)
			.containsExactlyInAnyOrder(byDefault.email(), newAssignee.email());
		var inbox = api.get("/api/v1/notifications", inAppOnly.key()).body().get("items");
		assertThat(inbox).singleElement().satisfies(n -> {
			assertThat(n.get("payload").get("level").asInt()).isEqualTo(2);
			assertThat(n.get("payload").get("action").asText()).isEqualTo("REASSIGN");
		});
		assertThat(api.get("/api/v1/notifications", bystander.key()).body().get("totalItems").asLong()).isZero();
	}

	@Test
	void breachNotifiesTheAssigneeAndTheEscalationPolicysSupervisorsInOneBatch() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var assignee = given.agent(merchant, agents);
		var supervisors = List.of(given.agent(merchant, agents), given.agent(merchant, agents));
		var bystander = given.agent(merchant, agents);
		// the assignee is a supervisor too, and the first supervisor appears on two levels: each is told once
		var policy = api.put("/api/v1/escalation-policy", merchant.adminKey(), """
				{"levels": [
				  {"after": "PT0S", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s"]},
				  {"after": "PT1H", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s", "%s", "%s"]}]}"""
			.formatted(supervisors.get(0).id(), supervisors.get(1).id(), assignee.id(), supervisors.get(0).id()));
		assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, assignee);
		awaitDelivered(ticket.id(), 2);
		var now = java.time.Instant.now();
		var eventId = UUID.randomUUID();
		var clockId = UUID.randomUUID();

		publishTwice(() -> new SlaBreached(eventId, ticket.id(), merchant.id(), clockId, SlaMetric.RESOLUTION, 1, now, now));

		awaitDelivered(ticket.id(), 8);
		var stored = notificationsOf(ticket.id()).stream().filter(n -> n.type().equals("SLA_BREACHED")).toList();
		assertThat(stored).hasSize(6);
		for (var agent : List.of(assignee, supervisors.get(0), supervisors.get(1))) {
			assertThat(types(stored, agent.id().toString())).containsExactly("SLA_BREACHED/EMAIL", "SLA_BREACHED/IN_APP");
		}
		assertThat(jobsNaming(stored.get(0).id())).as("one notification-batch job").isEqualTo(1);
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 4);
		replayAndRunJobsTwice(ticket.id());
		assertThat(notificationsOf(ticket.id())).hasSize(8);
		assertThat(TestMail.to(agents)).hasSize(4);
		assertThat(TestMail.to(agents).stream().filter(mail -> mail.subject().contains("SLA breached")))
			.extracting(TestMail.Mail::to)
			.containsExactlyInAnyOrder(assignee.email(), supervisors.get(0).email(), supervisors.get(1).email());
		assertThat(api.get("/api/v1/notifications", bystander.key()).body().get("totalItems").asLong()).isZero();
	}

	@Test
	void inAppNotificationReachesItsAgentsLiveSessionOnceStored() throws Exception {
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());
		var bystander = given.agent(merchant, Scenarios.domain());
		try (var live = LiveClient.connect(port, agent.key()); var other = LiveClient.connect(port, bystander.key())) {
			assertThat(live.subscribe("/user/queue/notifications")).isTrue();
			assertThat(other.subscribe("/user/queue/notifications")).isTrue();
			var ticket = given.ticket(merchant, Scenarios.domain());
			given.assign(merchant, ticket, agent);

			var frame = live.nextFrame("notification.created", WAIT.toMillis());
			assertThat(frame).as("the assignment's in-app notification, live").isNotNull();
			var inApp = notificationsOf(ticket.id()).stream().filter(n -> n.channel().equals("IN_APP")).toList();
			assertThat(inApp).singleElement().satisfies(n -> {
				assertThat(n.recipient()).isEqualTo(agent.id().toString());
				assertThat(n.state()).isEqualTo("SENT");
				assertThat(frame.eventId()).isEqualTo(n.id().toString());
				assertThat(frame.envelope().get("data").get("notificationId").asText()).isEqualTo(n.id().toString());
			});
			var envelope = frame.envelope();
			assertThat(frame.destination()).isEqualTo("/user/queue/notifications");
			assertThat(envelope.get("topic").asText()).isEqualTo("observation/helpdesk");
			assertThat(envelope.get("merchantId").asText()).isEqualTo(merchant.id().toString());
			assertThat(envelope.get("ticketId").asText()).isEqualTo(ticket.id().toString());
			assertThat(envelope.get("room").asText()).isEqualTo("helpdesk/" + ticket.id());
			assertThat(envelope.get("data").get("type").asText()).isEqualTo("TICKET_ASSIGNED");
			assertThat(other.nextFrame(300)).as("nothing for another agent").isNull();
		}
	}

	@Test
	void agentWithDigestForRepliesGetsOneDigestListingTenRepliesInsteadOfTenNotifications() throws Exception {
		var merchant = api.newMerchant();
		var agents = Scenarios.domain();
		var agent = given.agent(merchant, agents);
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("CUSTOMER_REPLIED", Map.of("channels", List.of("IN_APP", "EMAIL"), "delivery", "DIGEST"),
						"TICKET_ASSIGNED", Map.of("channels", List.of(), "delivery", "IMMEDIATE"),
						"STATUS_CHANGED", Map.of("channels", List.of(), "delivery", "IMMEDIATE"))));
		assertThat(put.status()).isEqualTo(200);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, agent);
		for (int i = 0; i < 10; i++) {
			given.message(merchant.adminKey(), ticket, "CUSTOMER", false);
		}
		awaitDelivered(ticket.id(), 20);
		given.replayEventsOf(ticket.id());
		assertThat(notificationsOf(ticket.id())).hasSize(20).allSatisfy(n -> assertThat(n.state()).isEqualTo("COLLECTED"));
		assertThat(TestMail.to(agents)).isEmpty();
		assertThat(api.get("/api/v1/notifications", agent.key()).body().get("totalItems").asLong()).isZero();

		digests.publishDigests();
		await().atMost(WAIT).until(() -> TestMail.to(agents).size() == 1);
		await().atMost(WAIT).until(() -> api.get("/api/v1/notifications", agent.key()).body().get("totalItems").asLong() == 1);
		digests.publishDigests(); // the same round again: nothing more
		var digestJobs = jdbc.sql("SELECT id FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + agent.id() + "%")
			.query(String.class)
			.list();
		assertThat(digestJobs).hasSize(1);
		// the digest job run twice more changes nothing
		var run = new JobRun(UUID.fromString(digestJobs.get(0)), "job:" + digestJobs.get(0), JobQueue.NOTIFICATION,
				"notification-digest", 2);
		sendDigest.run(new NotificationJob.Digest(merchant.id(), agent.id()), run);
		sendDigest.run(new NotificationJob.Digest(merchant.id(), agent.id()),
				new JobRun(UUID.randomUUID(), "test-rerun:" + agent.id(), JobQueue.NOTIFICATION, "notification-digest", 1));
		assertThat(TestMail.to(agents)).hasSize(1);
		assertThat(api.get("/api/v1/notifications", agent.key()).body().get("totalItems").asLong()).isEqualTo(1);

		var mail = TestMail.to(agents).get(0);
		assertThat(mail.subject()).contains("10 notifications");
		assertThat(mail.body().lines().filter(line -> line.startsWith("- [#" + ticket.number() + "]"))).hasSize(10);
		var digest = api.get("/api/v1/notifications", agent.key()).body().get("items").get(0);
		assertThat(digest.get("type").asText()).isEqualTo("DIGEST");
		assertThat(digest.get("payload").get("count").asInt()).isEqualTo(10);
		assertThat(digest.get("payload").get("items")).hasSize(10);
		assertThat(notificationsOf(ticket.id())).allSatisfy(n -> assertThat(n.state()).isEqualTo("DIGESTED"));
	}

	/** The states of the one job naming {@code id}, oldest first, from JobRunr's job JSON. */
	com.fasterxml.jackson.databind.JsonNode jobHistory(UUID id) throws Exception {
		var json = jdbc.sql("SELECT jobAsJson FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + id + "%")
			.query(String.class)
			.single();
		return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("jobHistory");
	}

	/**
	 * The delays the queue chose before each retry of the one job naming {@code id}: in JobRunr's job JSON, each
	 * {@code FAILED} state is followed by a {@code SCHEDULED} one whose {@code scheduledAt} is the retry's due time.
	 */
	List<Duration> retryDelays(UUID id) throws Exception {
		var history = jobHistory(id);
		var delays = new java.util.ArrayList<Duration>();
		for (int i = 1; i < history.size(); i++) {
			var previous = history.get(i - 1);
			var state = history.get(i);
			if (previous.get("state").asText().equals("FAILED") && state.get("state").asText().equals("SCHEDULED")) {
				delays.add(Duration.between(java.time.Instant.parse(previous.get("createdAt").asText()),
						java.time.Instant.parse(state.get("scheduledAt").asText())));
			}
		}
		return delays;
	}

	/** Each failure of the one job naming {@code id}, as JobRunr recorded it: when, the exception and its message. */
	List<String> failures(UUID id) throws Exception {
		var failures = new java.util.ArrayList<String>();
		for (var state : jobHistory(id)) {
			if (state.get("state").asText().equals("FAILED")) {
				failures.add(state.get("createdAt").asText() + " " + state.path("exceptionType").asText() + ": "
						+ state.path("exceptionMessage").asText());
			}
		}
		return failures;
	}

	@Test
	void webhookThatKeepsFailingIsTriedSixTimesAtGrowingDelaysThenMakesOneDeadLetter() throws Exception {
		var merchant = api.newMerchant();
		try (var hook = new TestWebhook(SECRET, 500)) {
			given.webhook(merchant, hook, SECRET);
			var ticket = given.ticket(merchant, Scenarios.domain());
			given.status(merchant, ticket, "IN_PROGRESS");

			var webhookRow = await().atMost(WAIT).until(() -> notificationsOf(ticket.id()).stream()
				.filter(n -> n.channel().equals("WEBHOOK"))
				.findFirst(), java.util.Optional::isPresent).orElseThrow();
			// a retry starts at the master's first poll (5 s) after it is due: six attempts take about 20 to 30 s
			await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.sql("""
					SELECT count(*) FROM job_dead_letter WHERE queue = 'helpdesk.notification' AND arguments::text LIKE ?""")
				.param("%" + webhookRow.id() + "%")
				.query(Long.class)
				.single() == 1);

			var calls = hook.calls();
			var failures = failures(webhookRow.id());
			assertThat(calls).as("calls of the hook; the job's failures: %s", failures)
				.hasSize(6)
				.allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
			assertThat(calls).extracting(TestWebhook.Call::id).containsOnly(webhookRow.id().toString());
			assertThat(failures).hasSize(6).allSatisfy(failure -> assertThat(failure).contains("answered 500"));
			// the calls themselves are one poll (5 s) apart; the delays the queue chose show in the job's history
			assertThat(retryDelays(webhookRow.id())).hasSize(5).satisfies(delays -> {
				for (int retry = 1; retry <= delays.size(); retry++) {
					var expected = Duration.ofMillis(200L << (retry - 1)); // base 0.2 s, doubling
					assertThat(delays.get(retry - 1)).as("delay before retry " + retry)
						.isBetween(expected, expected.plusMillis(150));
				}
			});
			assertThat(jdbc.sql("SELECT attempts FROM job_dead_letter WHERE arguments::text LIKE ?")
				.param("%" + webhookRow.id() + "%")
				.query(Integer.class)
				.single()).isEqualTo(6);
			assertThat(notificationsOf(ticket.id()).stream().filter(n -> n.channel().equals("WEBHOOK")))
				.singleElement()
				.satisfies(n -> assertThat(n.state()).isEqualTo("FAILED"));
		}
	}
}
