package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.WorkingHelpdeskTest;

/** The calling agent's notifications and preferences over HTTP. */
@WorkingHelpdeskTest
class NotificationApiTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void listsTheAgentsInAppNotificationsUnreadFirstAndMarksThemRead() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());
		var other = given.agent(merchant, Scenarios.domain());
		var tickets = List.of(given.ticket(merchant, Scenarios.domain()), given.ticket(merchant, Scenarios.domain()),
				given.ticket(merchant, Scenarios.domain()));
		for (int i = 0; i < tickets.size(); i++) { // one after the other, so their order is the tickets'
			given.assign(merchant, tickets.get(i), agent);
			var count = i + 1;
			await().atMost(Duration.ofSeconds(20))
				.until(() -> api.get("/api/v1/notifications", agent.key()).body().get("totalItems").asLong() == count);
		}

		var page = api.get("/api/v1/notifications?page=0&size=2", agent.key()).body();
		assertThat(page.get("page").asInt()).isZero();
		assertThat(page.get("size").asInt()).isEqualTo(2);
		assertThat(page.get("items")).hasSize(2);
		var oldest = api.get("/api/v1/notifications?page=1&size=2", agent.key()).body().get("items").get(0);
		assertThat(oldest.get("ticketId").asText()).isEqualTo(tickets.get(0).id().toString());
		assertThat(oldest.get("channel").asText()).isEqualTo("IN_APP");
		assertThat(oldest.get("readAt").isNull()).isTrue();

		var newest = page.get("items").get(0);
		assertThat(newest.get("ticketId").asText()).isEqualTo(tickets.get(2).id().toString());

		// the newest read: it sorts after the two older unread ones
		var read = api.post("/api/v1/notifications/" + newest.get("id").asText() + "/read", agent.key(), "");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body().get("readAt").isNull()).isFalse();
		var list = api.get("/api/v1/notifications", agent.key()).body().get("items");
		assertThat(list).hasSize(3);
		assertThat(List.of(list.get(0), list.get(1), list.get(2))).extracting(n -> n.get("ticketId").asText())
			.containsExactly(tickets.get(1).id().toString(), tickets.get(0).id().toString(),
					tickets.get(2).id().toString());
		assertThat(list.get(0).get("readAt").isNull()).isTrue();
		assertThat(list.get(1).get("readAt").isNull()).isTrue();
		assertThat(list.get(2).get("readAt").isNull()).isFalse();

		// another agent's, an unknown one, an admin key
		assertThat(api.post("/api/v1/notifications/" + oldest.get("id").asText() + "/read", other.key(), "").status())
			.isEqualTo(404);
		assertThat(api.post("/api/v1/notifications/" + UUID.randomUUID() + "/read", agent.key(), "").status())
			.isEqualTo(404);
		assertThat(api.get("/api/v1/notifications", other.key()).body().get("totalItems").asLong()).isZero();
		assertThat(api.get("/api/v1/notifications", merchant.adminKey()).status()).isEqualTo(403);
		assertThat(api.get("/api/v1/notifications?size=0", agent.key()).status()).isEqualTo(400);
	}

	@Test
	void newAgentHasDefaultPreferencesAndReplacesThem() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());

		var defaults = api.get("/api/v1/notification-preferences", agent.key()).body().get("types");
		assertThat(defaults.fieldNames()).toIterable().containsExactly("TICKET_ASSIGNED", "CUSTOMER_REPLIED",
				"STATUS_CHANGED", "SLA_WARNING", "SLA_BREACHED", "TICKET_ESCALATED");
		assertThat(defaults.get("TICKET_ASSIGNED").get("channels")).hasSize(2);
		assertThat(defaults.get("TICKET_ASSIGNED").get("delivery").asText()).isEqualTo("IMMEDIATE");

		var put = api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("CUSTOMER_REPLIED", Map.of("channels", List.of("EMAIL", "EMAIL", "WEBHOOK"), "delivery", "DIGEST"))));
		assertThat(put.status()).isEqualTo(200);
		var types = api.get("/api/v1/notification-preferences", agent.key()).body().get("types");
		assertThat(types.get("CUSTOMER_REPLIED").get("channels").toString()).isEqualTo("[\"EMAIL\",\"WEBHOOK\"]");
		assertThat(types.get("CUSTOMER_REPLIED").get("delivery").asText()).isEqualTo("DIGEST");
		assertThat(types.get("TICKET_ASSIGNED")).isEqualTo(defaults.get("TICKET_ASSIGNED"));
		assertThat(api.get("/api/v1/notification-preferences", merchant.adminKey()).status()).isEqualTo(403);
	}

	@Test
	void malformedPreferencesAnswer400NamingTheFieldAndWriteNothing() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());
		api.put("/api/v1/notification-preferences", agent.key(), Map.of("types",
				Map.of("SLA_WARNING", Map.of("channels", List.of("EMAIL"), "delivery", "DIGEST"))));
		var before = api.get("/api/v1/notification-preferences", agent.key()).body();

		var cases = Map.of(
				"{\"types\":{\"NOPE\":{\"channels\":[\"IN_APP\"],\"delivery\":\"IMMEDIATE\"}}}", "types.NOPE",
				"{\"types\":{\"DIGEST\":{\"channels\":[\"IN_APP\"],\"delivery\":\"IMMEDIATE\"}}}", "types.DIGEST",
				"{\"types\":{\"SURVEY_REQUESTED\":{\"channels\":[],\"delivery\":\"IMMEDIATE\"}}}", "types.SURVEY_REQUESTED",
				"{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"SMS\"],\"delivery\":\"IMMEDIATE\"}}}", "channels",
				"{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"IN_APP\"],\"delivery\":\"WEEKLY\"}}}", "delivery",
				"{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"IN_APP\"]}}}", "delivery",
				"{\"types\":{\"TICKET_ASSIGNED\":{\"delivery\":\"DIGEST\"}}}", "channels",
				"{\"types\":{\"TICKET_ASSIGNED\":{\"channels\":[\"IN_APP\"],\"delivery\":\"DIGEST\",\"x\":1}}}", "x",
				"{}", "types",
				"{\"types\": [", "types");
		cases.forEach((body, field) -> {
			var response = api.put("/api/v1/notification-preferences", agent.key(), body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.body().get("detail").asText()).as(body).contains(field);
		});
		assertThat(api.get("/api/v1/notification-preferences", agent.key()).body()).isEqualTo(before);
	}
}
