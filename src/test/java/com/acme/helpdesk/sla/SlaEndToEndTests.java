package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * End to end over HTTP with the job servers running: a ticket gets running clocks, the monitor triggered over the
 * operations API flags the breach, and the escalation jobs walk the levels at their delays on the real queues.
 */
@HelpdeskWithJobsTest
class SlaEndToEndTests {

	static final Duration POLL = Duration.ofSeconds(5);

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void createdTicketHasRunningClocksAndItsBreachIsEscalatedLevelByLevelThroughTheQueues() {
		var merchant = api.newMerchant();
		assertThat(api.put("/api/v1/sla-policies/MEDIUM", merchant.adminKey(),
				Map.of("firstResponse", "PT2S", "resolution", "PT1H", "warningPercent", 50)).status()).isEqualTo(200);
		assertThat(api.put("/api/v1/escalation-policy", merchant.adminKey(), """
				{"levels": [{"after": "PT0S", "action": "NOTIFY_SUPERVISOR"}, {"after": "PT1S", "action": "RAISE_PRIORITY"}]}""")
			.status()).isEqualTo(200);
		var created = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Late parcel", "requester", Map.of("email", "eve@example.com"), "priority", "MEDIUM"));
		assertThat(created.status()).isEqualTo(201);
		var ticketId = UUID.fromString(created.body().get("id").asText());

		await().atMost(POLL.plusSeconds(2)).until(() -> clocks(merchant, ticketId).size() == 2);
		var firstResponse = clock(merchant, ticketId, "FIRST_RESPONSE");
		assertThat(firstResponse.get("state").asText()).isEqualTo("RUNNING");
		var dueAt = Instant.parse(firstResponse.get("dueAt").asText());
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(dueAt));

		assertThat(api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, "").status()).isEqualTo(202);
		await().atMost(POLL.plusSeconds(5))
			.until(() -> clock(merchant, ticketId, "FIRST_RESPONSE").get("breached").asBoolean());
		assertThat(clock(merchant, ticketId, "FIRST_RESPONSE").get("warned").asBoolean()).isTrue();

		// level 1 from the sweep's escalation-batch job, level 2 one second after the breach: priority raised
		await().atMost(Duration.ofSeconds(3).plus(POLL.multipliedBy(3)))
			.until(() -> api.get("/api/v1/tickets/" + ticketId, merchant.adminKey()).body().get("priority").asText()
				.equals("HIGH"));
		await().atMost(Duration.ofSeconds(5)).until(() -> jdbc
			.sql("SELECT state FROM sla_escalation WHERE ticket_id = ?").param(ticketId).query(String.class).single()
			.equals("COMPLETED"));
	}

	private JsonNode clock(TestApi.Merchant merchant, UUID ticketId, String metric) {
		for (var clock : clocks(merchant, ticketId)) {
			if (clock.get("metric").asText().equals(metric)) {
				return clock;
			}
		}
		throw new AssertionError("no " + metric + " clock");
	}

	private JsonNode clocks(TestApi.Merchant merchant, UUID ticketId) {
		return api.get("/api/v1/tickets/" + ticketId + "/sla", merchant.adminKey()).body().get("clocks");
	}
}
