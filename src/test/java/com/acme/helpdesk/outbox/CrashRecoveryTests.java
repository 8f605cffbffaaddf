package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;


import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.StalledListenersHelpdesk;
import com.acme.helpdesk.support.TestApi;

/**
 * A process killed with SIGKILL after its commit and before its listeners ran: the events are in the
 * outbox, and the next start of the service delivers them.
 */
@HelpdeskTest
class CrashRecoveryTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcConnectionDetails database;

	@Test
	void eventsCommittedBeforeAKillAreDeliveredAfterTheRestart() {
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Crash", "routing", Map.of("strategy", "MANUAL")))
			.body()
			.get("id")
			.asText();
		var agent = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Ann", "email",
				"ann-" + java.util.UUID.randomUUID() + "@example.com", "capacity", 10, "availability", "ONLINE",
				"categoryIds", java.util.List.of(category))).body().get("id").asText();

		String ticketId;
		try (var doomed = start(HelpdeskApplication.class, "crash-before-listeners",
				StalledListenersHelpdesk.ARGUMENTS.toArray(String[]::new))) {
			var client = new TestApi(doomed.port());
			var created = client.post("/api/v1/tickets", merchant.adminKey(),
					Map.of("subject", "Lost?", "requester", Map.of("email", "a@example.com"), "categoryId", category));
			assertThat(created.status()).isEqualTo(201);
			ticketId = created.body().get("id").asText();
			// what the creation does it does in its own transaction: counted, no publication
			assertThat(categoryCount(category)).isEqualTo(1);
			assertThat(publications(ticketId)).isZero();
			var assigned = client.post("/api/v1/tickets/" + ticketId + "/assignment", merchant.adminKey(),
					Map.of("agentId", agent));
			assertThat(assigned.status()).isEqualTo(200);
			// one per after-commit listener of TicketAssigned (the agent's load, the notification), none completed
			assertThat(incompletePublications(ticketId)).isPositive().isEqualTo(publications(ticketId));
			doomed.kill();
		}
		assertThat(incompletePublications(ticketId)).isPositive().isEqualTo(publications(ticketId));
		assertThat(load(agent)).isZero();

		try (var restarted = start(HelpdeskApplication.class, "restart-after-crash",
				"--spring.modulith.events.republish-outstanding-events-on-restart=true")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> incompletePublications(ticketId) == 0);
			assertThat(load(agent)).isEqualTo(1);
			assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE ticket_id = ?::uuid AND type = 'TICKET_ASSIGNED'")
				.param(ticketId)
				.query(Long.class)
				.single()).isPositive();
		}
	}

	private int load(String agentId) {
		return jdbc.sql("SELECT load FROM agent WHERE id = ?::uuid").param(agentId).query(Integer.class).single();
	}

	private HelpdeskProcess start(Class<?> main, String name, String... arguments) {
		// run mode api: no job servers, so the killed process leaves none behind to time out
		var withApiMode = java.util.stream.Stream.concat(java.util.stream.Stream.of("--helpdesk.run-mode=api"),
				java.util.Arrays.stream(arguments)).toArray(String[]::new);
		return HelpdeskProcess.start(main.getName(), name, database.getJdbcUrl(), database.getUsername(),
				database.getPassword() == null ? "" : database.getPassword(), withApiMode);
	}

	private long publications(String ticketId) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticketId + "\"%")
			.query(Long.class)
			.single();
	}

	private long incompletePublications(String ticketId) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticketId + "\"%")
			.query(Long.class)
			.single();
	}

	private long categoryCount(String categoryId) {
		return jdbc.sql("SELECT coalesce(sum(ticket_count), 0) FROM category_ticket_count WHERE category_id = ?::uuid").param(categoryId).query(Long.class).single();
	}
}
