package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

@HelpdeskTest
class AgentApiTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void createsListsAndChangesAgentsWithTheirKeyShownOnce() {
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();

		var created = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Ann", "email", "ann@example.com",
				"capacity", 5, "categoryIds", List.of(category), "availability", "ONLINE"));
		assertThat(created.status()).isEqualTo(201);
		var agent = created.body();
		assertThat(agent.get("apiKey").asText()).startsWith("hd_");
		assertThat(agent.get("load").asInt()).isZero();
		var id = agent.get("id").asText();

		var listed = api.get("/api/v1/agents", merchant.adminKey()).body();
		assertThat(listed.get("totalItems").asInt()).isEqualTo(1);
		assertThat(listed.get("items").get(0).has("apiKey")).isFalse();

		var changed = api.patch("/api/v1/agents/" + id, agent.get("apiKey").asText(), Map.of("availability", "AWAY"));
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.body().get("availability").asText()).isEqualTo("AWAY");
		assertThat(changed.body().get("capacity").asInt()).isEqualTo(5);
	}

	@Test
	void refusesBadAgentsWithTheFieldNamedAndWritesNothing() {
		var merchant = api.newMerchant();
		var foreignCategory = api.post("/api/v1/categories", api.newMerchant().adminKey(),
				Map.of("name", "Theirs", "routing", Map.of("strategy", "MANUAL"))).body().get("id").asText();

		assertField(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "A", "email", "a@example.com", "capacity", -1)), "capacity");
		assertField(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "A", "email", "nope", "capacity", 1)), "email");
		assertField(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "A", "email", "a@example.com", "capacity", 1,
				"categoryIds", List.of(foreignCategory))), "categoryIds[0]");
		assertField(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "A", "email", "a@example.com", "capacity", 1,
				"availability", "BUSY")), "availability");
		assertThat(jdbc.sql("SELECT count(*) FROM agent WHERE merchant_id = ?").param(merchant.id()).query(Long.class).single()).isZero();

		api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "A", "email", "a@example.com", "capacity", 1));
		assertThat(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "B", "email", "A@example.com", "capacity", 1))
			.status()).isEqualTo(409);
	}

	@Test
	void agentKeysActOnlyForTheirOwnAgentAndOtherMerchantsSeeNothing() {
		var merchant = api.newMerchant();
		var ann = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Ann", "email", "ann@example.com", "capacity", 1)).body();
		var bob = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Bob", "email", "bob@example.com", "capacity", 1)).body();
		var annKey = ann.get("apiKey").asText();

		assertThat(api.post("/api/v1/agents", annKey, Map.of("name", "C", "email", "c@example.com", "capacity", 1)).status()).isEqualTo(403);
		assertThat(api.patch("/api/v1/agents/" + bob.get("id").asText(), annKey, Map.of("capacity", 9)).status()).isEqualTo(403);
		assertThat(api.get("/api/v1/agents/" + ann.get("id").asText(), api.newMerchant().adminKey()).status()).isEqualTo(404);
		assertThat(api.patch("/api/v1/agents/" + UUID.randomUUID(), merchant.adminKey(), Map.of("capacity", 9)).status()).isEqualTo(404);
	}

	@Test
	void settingsRefuseBadValuesAndNeverShowTheSecret() {
		var merchant = api.newMerchant();
		assertField(api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", "ftp://example.com/x", "webhookSecret", SECRET)), "webhookUrl");
		assertField(api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", "https://example.com/hook", "webhookSecret", "0123456789abcdef")), "webhookSecret");
		assertField(api.put("/api/v1/settings", merchant.adminKey(), Map.of("surveyDelay", "-PT1M")), "surveyDelay");
		assertField(api.put("/api/v1/settings", merchant.adminKey(), Map.of("surveyDelay", "soon")), "surveyDelay");
		assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().get("webhookUrl").isNull()).isTrue();

		var saved = api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", "https://example.com/hook",
				"webhookSecret", SECRET, "surveyDelay", "PT1H"));
		assertThat(saved.status()).isEqualTo(200);
		assertThat(saved.body().toString()).doesNotContain(SECRET);
		assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().toString()).doesNotContain(SECRET);
		assertThat(saved.body().get("webhookSecretSet").asBoolean()).isTrue();
		assertThat(saved.body().get("surveyDelay").asText()).isEqualTo("PT1H");
	}

	static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static void assertField(TestApi.Response response, String field) {
		assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
		assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
	}
}
