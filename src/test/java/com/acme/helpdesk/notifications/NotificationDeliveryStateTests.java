package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.SmtpGate;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;
import com.acme.helpdesk.support.TestMail;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a failing SMTP server looks like, to the operator and to the merchant: the real job servers deliver a
 * requester's mail through a port that drops every connection ({@link SmtpGate} in front of {@link TestMail}), with
 * two retries. Each failed attempt logs one line and the final failure one stack trace; the merchant reads each
 * attempt's count and error, then the final {@code FAILED}, over {@code GET /api/v1/notification-deliveries}; after the
 * server is back and the dead letter requeued, the mail is {@code SENT} with its history kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.minimum-idle=2",
		"helpdesk.queues.notification.retries=2", "helpdesk.queues.notification.backoff-base=PT0.2S",
		"helpdesk.sla-monitor.cron=0 0 1 1 *",
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger,analytics-update" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@AutoConfigureObservability(tracing = false)
// closed afterwards: its job servers would otherwise keep polling beside later test classes
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class NotificationDeliveryStateTests {

	static final SmtpGate MAIL = SmtpGate.toTestMail();
	// three attempts, each started by a poll of its queue server (5 s)
	static final Duration WAIT = Duration.ofSeconds(60);

	@DynamicPropertySource
	static void mailServer(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", MAIL::port);
	}

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DeliverNotification deliver;

	@Autowired
	SendDigest sendDigest;

	Scenarios given;

	@BeforeEach
	void setUp() {
		given = new Scenarios(api, jdbc);
		MAIL.up();
	}

	@Test
	void aMailTheServerKeepsRefusingLogsOneLinePerAttemptAndOneStackTraceAndTheMerchantSeesEachFailure(
			CapturedOutput output) {
		var merchant = api.newMerchant();
		var domain = Scenarios.domain();
		var ticket = given.ticket(merchant, domain);
		MAIL.down();
		given.status(merchant, ticket, "IN_PROGRESS"); // the requester is told by mail

		var retrying = await().atMost(WAIT)
			.until(() -> requesterMail(merchant, ticket), mail -> mail != null && mail.get("failedAttempts").asInt() >= 1
					&& mail.get("state").asText().equals("PENDING"));
		assertThat(retrying.get("lastError").asText()).startsWith("MailSendException: Mail to " + ticket.requesterEmail())
			.doesNotContain("\n");
		assertThat(retrying.get("lastFailedAt").isNull()).isFalse();
		assertThat(retrying.get("sentAt").isNull()).isTrue();

		var failed = await().atMost(WAIT)
			.until(() -> requesterMail(merchant, ticket), mail -> mail.get("state").asText().equals("FAILED"));
		assertThat(failed.get("failedAttempts").asInt()).isEqualTo(3);
		assertThat(failed.get("lastError").asText()).contains("was not sent");
		assertThat(failed.get("recipient").get("kind").asText()).isEqualTo("REQUESTER");
		assertThat(failed.get("recipient").get("email").asText()).isEqualTo(ticket.requesterEmail());
		assertThat(failed.get("type").asText()).isEqualTo("STATUS_CHANGED");
		assertThat(failed.get("ticketId").asText()).isEqualTo(ticket.id().toString());

		// the merchant's deliveries that failed: without a ticket, and by state; no other merchant sees them
		var failedOnce = api.get("/api/v1/notification-deliveries?state=FAILED", merchant.adminKey());
		assertThat(failedOnce.status()).isEqualTo(200);
		assertThat(failedOnce.body().get("items")).extracting(item -> item.get("id").asText())
			.containsExactly(failed.get("id").asText());
		assertThat(failedOnce.body().get("totalItems").asLong()).isEqualTo(1);
		var other = api.newMerchant();
		assertThat(api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id(), other.adminKey()).body().get("items"))
			.isEmpty();
		assertThat(api.get("/api/v1/notification-deliveries", other.adminKey()).body().get("items")).isEmpty();

		// the operator's log: one line per attempt, one stack trace for the job, and none of JobRunr's per attempt
		var letter = jdbc.sql("SELECT id, job_id FROM job_dead_letter WHERE arguments::text LIKE ?")
			.param("%" + failed.get("id").asText() + "%")
			.query((rs, row) -> new UUID[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class) })
			.single();
		var jobId = letter[1].toString();
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(jobId + " (notification)"
				+ " on helpdesk.notification: attempt 3 failed for good"));
		var lines = output.getOut().lines().map(NotificationDeliveryStateTests::logged).filter(line -> line.contains(jobId))
			.toList();
		assertThat(lines).as("the log lines naming the job").hasSize(4);
		assertThat(lines.stream().filter(line -> line.contains("QueueRetryFilter"))).hasSize(2)
			.allSatisfy(line -> assertThat(line).contains("WARN")
				.containsPattern("attempt [12] of 3 failed, retry in PT0\\.[248]S: MailSendException: Mail to "
						+ Pattern.quote(ticket.requesterEmail()) + " was not sent"));
		assertThat(lines.stream().filter(line -> line.contains("HandleDeadLetter"))).singleElement()
			.satisfies(line -> assertThat(line).contains("attempt 3 failed for good, now a dead letter: MailSendException"));
		assertThat(lines.stream().filter(line -> line.contains("BackgroundJobPerformer"))).singleElement()
			.satisfies(line -> assertThat(line).contains("ERROR").contains("processing failed"));
		var log = output.getOut();
		assertThat(stackTracesOf(log, jobId)).as("stack traces").isEqualTo(1);
		assertThat(log).as("JobRunr's warnings per attempt").doesNotContainPattern("WARN .*BackgroundJobPerformer");

		// the server is back and the dead letter requeued: sent, with its failures still readable
		MAIL.up();
		assertThat(api.post("/ops/v1/dead-letters/" + letter[0] + "/requeue", TestApi.OPS_TOKEN, Map.of()).status())
			.isEqualTo(202);
		var sent = await().atMost(WAIT)
			.until(() -> requesterMail(merchant, ticket), mail -> mail.get("state").asText().equals("SENT"));
		assertThat(sent.get("sentAt").isNull()).isFalse();
		assertThat(sent.get("failedAttempts").asInt()).isEqualTo(3);
		assertThat(sent.get("lastError").asText()).contains("was not sent");
		assertThat(TestMail.to(domain)).extracting(TestMail.Mail::to).containsExactly(ticket.requesterEmail());

		// a delivery job run again changes nothing: no mail, no failure counted
		var run = new JobRun(UUID.randomUUID(), "test-rerun", JobQueue.NOTIFICATION, "notification", 1);
		deliver.run(new NotificationJob.Deliver(merchant.id(), List.of(UUID.fromString(sent.get("id").asText())), false), run);
		assertThat(requesterMail(merchant, ticket)).isEqualTo(sent);
		assertThat(TestMail.to(domain)).hasSize(1);
	}

	/**
	 * One {@code notification} job delivers the assignee's in-app notification and mail, each in a transaction of its
	 * own: with the mail server down the in-app one is delivered at once, and the retries send only the mail.
	 */
	@Test
	void anAgentsInAppNotificationIsDeliveredWhileTheSameJobsMailWaitsForTheServer() {
		var merchant = api.newMerchant();
		var domain = Scenarios.domain();
		var agent = given.agent(merchant, domain);
		var ticket = given.ticket(merchant, domain);
		MAIL.down();
		given.assign(merchant, ticket, agent);

		var mail = await().atMost(WAIT).until(() -> delivery(merchant, ticket, "TICKET_ASSIGNED", "EMAIL"),
				d -> d != null && d.get("failedAttempts").asInt() >= 1);
		var inApp = delivery(merchant, ticket, "TICKET_ASSIGNED", "IN_APP");
		assertThat(inApp.get("state").asText()).isEqualTo("SENT");
		assertThat(inApp.get("failedAttempts").asInt()).isZero();
		assertThat(mail.get("state").asText()).isEqualTo("PENDING");
		assertThat(jdbc.sql("SELECT jobAsJson FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + mail.get("id").asText() + "%")
			.query(String.class)
			.list()).as("one job for both").singleElement().asString()
			.contains(inApp.get("id").asText(), "\"job:notification\"");

		MAIL.up();
		await().atMost(WAIT).until(() -> delivery(merchant, ticket, "TICKET_ASSIGNED", "EMAIL"),
				d -> d.get("state").asText().equals("SENT"));
		assertThat(delivery(merchant, ticket, "TICKET_ASSIGNED", "IN_APP")).as("not delivered again").isEqualTo(inApp);
		assertThat(TestMail.to(domain)).extracting(TestMail.Mail::to).containsExactly(agent.email());
	}

	@Test
	void agentsReadTheirInAppNotificationsDeliveryAndAdminsEveryNotificationOfATicket() {
		var merchant = api.newMerchant();
		var domain = Scenarios.domain();
		var agent = given.agent(merchant, domain);
		var ticket = given.ticket(merchant, domain);
		given.assign(merchant, ticket, agent); // in-app and by mail, as the agent's defaults say

		var inbox = await().atMost(WAIT).until(() -> api.get("/api/v1/notifications", agent.key()).body().get("items"),
				items -> items.size() == 1 && items.get(0).get("state").asText().equals("SENT"));
		var inApp = inbox.get(0);
		assertThat(inApp.get("type").asText()).isEqualTo("TICKET_ASSIGNED");
		assertThat(inApp.get("sentAt").isNull()).isFalse();
		assertThat(inApp.get("failedAttempts").asInt()).isZero();
		assertThat(inApp.get("lastError").isNull()).isTrue();
		assertThat(inApp.has("readAt")).isTrue();

		var deliveries = await().atMost(WAIT)
			.until(() -> api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id(), merchant.adminKey()).body(),
					body -> body.get("items").size() == 2 && allSent(body.get("items")));
		assertThat(deliveries.get("items")).extracting(item -> item.get("channel").asText())
			.containsExactlyInAnyOrder("IN_APP", "EMAIL");
		assertThat(deliveries.get("items")).allSatisfy(item -> {
			assertThat(item.get("recipient").get("kind").asText()).isEqualTo("AGENT");
			assertThat(item.get("recipient").get("agentId").asText()).isEqualTo(agent.id().toString());
			assertThat(item.get("recipient").get("email").asText()).isEqualTo(agent.email());
			assertThat(item.get("failedAttempts").asInt()).isZero();
		});
		assertThat(api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id() + "&state=PENDING",
				merchant.adminKey()).body().get("items")).isEmpty();
		assertThat(api.get("/api/v1/notification-deliveries", merchant.adminKey()).body().get("items"))
			.as("nothing failed").isEmpty();

		assertThat(api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id(), agent.key()).status())
			.as("an agent key").isEqualTo(403);
		var badState = api.get("/api/v1/notification-deliveries?state=LOST", merchant.adminKey());
		assertThat(badState.status()).isEqualTo(400);
		assertThat(badState.body().toString()).contains("state");
	}

	@Test
	void aDigestTheServerRefusesCountsOnEachCollectedNotificationWhichWaitsForTheNextDigest() {
		var merchant = api.newMerchant();
		var domain = Scenarios.domain();
		var agent = given.agent(merchant, domain);
		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("CUSTOMER_REPLIED", Map.of("channels", List.of("EMAIL"), "delivery", "DIGEST"), "TICKET_ASSIGNED",
						Map.of("channels", List.of(), "delivery", "IMMEDIATE"))));
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, agent);
		given.message(merchant.adminKey(), ticket, "CUSTOMER", false);
		given.message(merchant.adminKey(), ticket, "CUSTOMER", false);
		var path = "/api/v1/notification-deliveries?ticketId=" + ticket.id();
		await().atMost(WAIT).until(() -> api.get(path, merchant.adminKey()).body().get("items").size() == 2);

		MAIL.down();
		var digest = new NotificationJob.Digest(merchant.id(), agent.id());
		var run = new JobRun(UUID.randomUUID(), "test-digest:" + agent.id(), JobQueue.NOTIFICATION, "notification-digest", 1);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sendDigest.run(digest, run))
			.hasMessageContaining("was not sent");

		var collected = api.get(path, merchant.adminKey()).body().get("items");
		assertThat(collected).hasSize(2).allSatisfy(item -> {
			assertThat(item.get("state").asText()).isEqualTo("COLLECTED");
			assertThat(item.get("failedAttempts").asInt()).isEqualTo(1);
			assertThat(item.get("lastError").asText()).startsWith("MailSendException: Mail to " + agent.email());
		});
		assertThat(api.get("/api/v1/notification-deliveries?state=COLLECTED", merchant.adminKey()).body().get("totalItems")
			.asLong()).isEqualTo(2);

		MAIL.up();
		sendDigest.run(digest, run);
		assertThat(api.get(path, merchant.adminKey()).body().get("items")).hasSize(2).allSatisfy(item -> {
			assertThat(item.get("state").asText()).isEqualTo("DIGESTED");
			assertThat(item.get("failedAttempts").asInt()).isEqualTo(1);
		});
		assertThat(TestMail.to(domain)).singleElement().satisfies(mail -> assertThat(mail.subject()).contains("2 notifications"));
	}

	@Test
	void withAnSmtpServerConfiguredThereIsNoDevelopmentMailSink() {
		var sink = api.get("/ops/v1/dev-mail", TestApi.OPS_TOKEN);

		assertThat(sink.status()).isEqualTo(404);
		assertThat(sink.body().get("detail").asText()).contains("SPRING_MAIL_HOST");
	}

	private static boolean allSent(JsonNode items) {
		for (var item : items) {
			if (!item.get("state").asText().equals("SENT")) {
				return false;
			}
		}
		return true;
	}

	/** The requester's mail about the ticket, as the merchant's admin reads it; {@code null} while there is none. */
	private JsonNode delivery(TestApi.Merchant merchant, Scenarios.Ticket ticket, String type, String channel) {
		var response = api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id(), merchant.adminKey());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		var found = new java.util.ArrayList<JsonNode>();
		response.body().get("items").forEach(item -> {
			if (item.get("type").asText().equals(type) && item.get("channel").asText().equals(channel)) {
				found.add(item);
			}
		});
		assertThat(found).hasSizeLessThanOrEqualTo(1);
		return found.isEmpty() ? null : found.get(0);
	}

	private JsonNode requesterMail(TestApi.Merchant merchant, Scenarios.Ticket ticket) {
		var response = api.get("/api/v1/notification-deliveries?ticketId=" + ticket.id(), merchant.adminKey());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		List<JsonNode> mails = new java.util.ArrayList<>();
		response.body().get("items").forEach(item -> {
			if (item.get("channel").asText().equals("EMAIL")) {
				mails.add(item);
			}
		});
		assertThat(mails).hasSizeLessThanOrEqualTo(1);
		return mails.isEmpty() ? null : mails.get(0);
	}

	private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T|\\{)");

	/**
	 * The stack traces through JobRunr's performer printed with a log line naming {@code jobId}: a plain trace follows
	 * its log line, a JSON line carries its own. Other contexts of the test JVM log their own jobs' traces meanwhile.
	 */
	private static long stackTracesOf(String log, String jobId) {
		long traces = 0;
		var logLine = "";
		for (var line : log.lines().toList()) {
			if (LOG_LINE.matcher(line).find()) {
				logLine = line;
			}
			if (line.contains("at org.jobrunr.server.BackgroundJobPerformer.run(") && logLine.contains(jobId)) {
				traces++;
			}
		}
		return traces;
	}

	/**
	 * A log line as level, logger and message: JSON lines (once a test context switched the JVM's logging to
	 * structured output) carry the job's id in every line logged during its run, whatever the message says.
	 */
	private static String logged(String line) {
		if (!line.startsWith("{")) {
			return line;
		}
		try {
			var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
			return node.path("log").path("level").asText() + " " + node.path("log").path("logger").asText() + " "
					+ node.path("message").asText();
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			return line;
		}
	}
}
