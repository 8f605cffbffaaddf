package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.JsonNode;

@HelpdeskTest
class TicketCountsTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@Test
	void countsAreExactAfterConcurrentCreationAndStayExactWhenEveryTicketCreatedIsResubmitted() throws Exception {
		var merchant = api.newMerchant();
		var categories = List.of(category(merchant.adminKey(), "Billing"), category(merchant.adminKey(), "Shipping"));
		var tags = List.of(tag(merchant.adminKey(), "vip"), tag(merchant.adminKey(), "refund"),
				tag(merchant.adminKey(), "bug"));

		var expected = new HashMap<String, Integer>();
		var tasks = new ArrayList<Callable<JsonNode>>();
		for (int i = 0; i < 200; i++) {
			var category = categories.get(i % 2);
			var ticketTags = tags.subList(0, i % 4);
			expected.merge(category, 1, Integer::sum);
			ticketTags.forEach(t -> expected.merge(t, 1, Integer::sum));
			var body = Map.of("subject", "Ticket " + i, "requester", Map.of("email", "c" + i + "@example.com"),
					"categoryId", category, "tagIds", ticketTags);
			tasks.add(() -> api.post("/api/v1/tickets", merchant.adminKey(), body).body());
		}
		var pool = Executors.newFixedThreadPool(16);
		try {
			for (var future : pool.invokeAll(tasks)) {
				assertThat(future.get().get("id")).isNotNull();
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertCounts(merchant.adminKey(), expected);
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single()).as("counted in the creating transaction: nothing to replay").isZero();
	}

	@Test
	void aRolledBackCreationCountsNothing() {
		var merchant = api.newMerchant();
		var category = category(merchant.adminKey(), "Never");
		var tag = tag(merchant.adminKey(), "never");
		var event = new TicketCreated(UUID.randomUUID(), UUID.randomUUID(), merchant.id(), 1, "rolled back", UUID.fromString(category),
				List.of(UUID.fromString(tag)), Priority.LOW, RoutingStrategy.MANUAL, null, null, java.time.Instant.now(), 0);

		transactions.executeWithoutResult(status -> {
			events.publishEvent(event);
			status.setRollbackOnly();
		});
		assertCounts(merchant.adminKey(), Map.of());

		transactions.executeWithoutResult(status -> events.publishEvent(event));
		assertCounts(merchant.adminKey(), Map.of(category, 1, tag, 1));
	}

	private void assertCounts(String key, Map<String, Integer> expected) {
		var actual = new HashMap<String, Integer>();
		api.get("/api/v1/categories", key).body().get("items").forEach(c -> actual.put(c.get("id").asText(), c.get("ticketCount").asInt()));
		api.get("/api/v1/tags", key).body().get("items").forEach(t -> actual.put(t.get("id").asText(), t.get("ticketCount").asInt()));
		actual.values().removeIf(v -> v == 0);
		assertThat(actual).isEqualTo(expected);
	}

	private String category(String key, String name) {
		return api.post("/api/v1/categories", key, Map.of("name", name, "routing", Map.of("strategy", "MANUAL")))
			.body()
			.get("id")
			.asText();
	}

	private String tag(String key, String name) {
		return api.post("/api/v1/tags", key, Map.of("name", name)).body().get("id").asText();
	}
}
