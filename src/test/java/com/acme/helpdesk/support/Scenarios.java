package com.acme.helpdesk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;

/** Set-ups shared by the notification and survey tests: a merchant with agents and tickets, and event replays. */
public final class Scenarios {

	public record Agent(UUID id, String email, String key) {
	}

	public record Ticket(UUID id, long number, String subject, String requesterEmail) {
	}

	private final TestApi api;
	private final JdbcClient jdbc;

	public Scenarios(TestApi api, JdbcClient jdbc) {
		this.api = api;
		this.jdbc = jdbc;
	}

	/** A fresh domain, so a test finds its own mails. */
	public static String domain() {
		return "d" + UUID.randomUUID().toString().substring(0, 8) + ".test";
	}

	public Agent agent(TestApi.Merchant merchant, String domain) {
		var email = "agent-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
		var response = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Agent " + email, "email", email, "capacity", 100, "availability", "ONLINE"));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return new Agent(UUID.fromString(response.body().get("id").asText()), email,
				response.body().get("apiKey").asText());
	}

	public Ticket ticket(TestApi.Merchant merchant, String requesterDomain) {
		var email = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + requesterDomain;
		var subject = "Printer on fire " + UUID.randomUUID().toString().substring(0, 6);
		var response = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", subject, "description", "Help", "requester", Map.of("email", email, "name", "Cus")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return new Ticket(UUID.fromString(response.body().get("id").asText()), response.body().get("number").asLong(),
				subject, email);
	}

	public JsonNode assign(TestApi.Merchant merchant, Ticket ticket, Agent agent) {
		var response = api.post("/api/v1/tickets/" + ticket.id() + "/assignment", merchant.adminKey(),
				Map.of("agentId", agent.id()));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.body();
	}

	public void status(TestApi.Merchant merchant, Ticket ticket, String status) {
		var response = api.post("/api/v1/tickets/" + ticket.id() + "/status", merchant.adminKey(),
				Map.of("status", status, "reason", "test"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	public void message(String key, Ticket ticket, String authorType, boolean internal) {
		var response = api.post("/api/v1/tickets/" + ticket.id() + "/messages", key,
				Map.of("body", "Hello from " + authorType, "authorType", authorType, "internal", internal));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

	public void webhook(TestApi.Merchant merchant, TestWebhook hook, String secret) {
		var response = api.put("/api/v1/settings", merchant.adminKey(),
				Map.of("webhookUrl", hook.url(), "webhookSecret", secret));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	/** Waits until every event publication about the ticket is complete. */
	public void awaitListeners(UUID ticketId) {
		await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
				SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?""")
			.param("%" + ticketId + "%")
			.query(Long.class)
			.single() == 0);
	}

	/**
	 * Replays every event about the ticket: marks all its publications incomplete, resubmits them through the
	 * operations API and waits until they are complete again. Answers how many were replayed.
	 */
	public int replayEventsOf(UUID ticketId) {
		awaitListeners(ticketId);
		var reset = jdbc.sql("UPDATE event_publication SET completion_date = NULL WHERE serialized_event LIKE ?")
			.param("%" + ticketId + "%")
			.update();
		var response = api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		awaitListeners(ticketId);
		return reset;
	}

	/** Waits until no job about {@code id} is waiting, scheduled or running. */
	public void awaitJobs(UUID id) {
		await().atMost(Duration.ofSeconds(40)).until(() -> jdbc.sql("""
				SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING')""")
			.param("%" + id + "%")
			.query(Long.class)
			.single() == 0);
	}
}
