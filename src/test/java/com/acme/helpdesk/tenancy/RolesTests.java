package com.acme.helpdesk.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/** What an agent key may not do (docs/security.md): each refusal is a 403 problem and writes nothing. */
@HelpdeskTest
class RolesTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	record Agent(UUID id, String key) {
	}

	@Test
	void anAgentSetsItsOwnAvailability() {
		var merchant = api.newMerchant();
		var agent = agent(merchant, "ann@example.com");

		var changed = api.patch("/api/v1/agents/" + agent.id(), agent.key(), Map.of("availability", "ONLINE"));

		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.body().get("availability").asText()).isEqualTo("ONLINE");
		assertThat(audits(merchant, "agent.updated")).isEqualTo(1);
	}

	@Test
	void anAgentChangesNeitherItsCapacityNorItsCategoriesNorAnotherAgent() {
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "MANUAL"))).body().get("id").asText();
		var agent = agent(merchant, "ann@example.com");
		var other = agent(merchant, "bob@example.com");
		var auditsBefore = audits(merchant, null);

		assertForbidden(api.patch("/api/v1/agents/" + agent.id(), agent.key(), Map.of("capacity", 50)));
		assertForbidden(api.patch("/api/v1/agents/" + agent.id(), agent.key(),
				Map.of("availability", "ONLINE", "capacity", 50)));
		assertForbidden(api.patch("/api/v1/agents/" + agent.id(), agent.key(), Map.of("categoryIds", List.of(category))));
		assertForbidden(api.patch("/api/v1/agents/" + other.id(), agent.key(), Map.of("availability", "ONLINE")));

		for (var id : List.of(agent.id(), other.id())) {
			var row = jdbc.sql("SELECT capacity, cardinality(category_ids), availability FROM agent WHERE id = ?")
				.param(id)
				.query((rs, n) -> List.of(rs.getInt(1), rs.getInt(2), rs.getString(3)))
				.single();
			assertThat(row).containsExactly(3, 0, "OFFLINE");
		}
		assertThat(audits(merchant, null)).isEqualTo(auditsBefore);
	}

	@Test
	void anAgentChangesNoCatalogSettingsPoliciesKeysNorReadsTheAuditTrail() {
		var merchant = api.newMerchant();
		var agent = agent(merchant, "ann@example.com");
		var keysBefore = count("SELECT count(*) FROM api_key WHERE merchant_id = ?", merchant.id());
		var auditsBefore = audits(merchant, null);

		assertForbidden(api.post("/api/v1/categories", agent.key(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "MANUAL"))));
		assertForbidden(api.post("/api/v1/tags", agent.key(), Map.of("name", "vip")));
		assertForbidden(api.put("/api/v1/settings", agent.key(), Map.of("returnTicketsOfOfflineAgents", true)));
		assertForbidden(api.put("/api/v1/sla-policies/HIGH", agent.key(),
				Map.of("firstResponse", "PT1H", "resolution", "PT8H")));
		assertForbidden(api.put("/api/v1/escalation-policy", agent.key(),
				Map.of("levels", List.of(Map.of("after", "PT1H", "action", "NOTIFY_SUPERVISOR")))));
		assertForbidden(api.post("/api/v1/api-keys", agent.key(), Map.of("role", "ADMIN")));
		assertForbidden(api.get("/api/v1/api-keys", agent.key()));
		var adminKeyId = jdbc.sql("SELECT id FROM api_key WHERE merchant_id = ? AND role = 'ADMIN'")
			.param(merchant.id())
			.query(UUID.class)
			.single();
		assertForbidden(api.delete("/api/v1/api-keys/" + adminKeyId, agent.key()));
		assertForbidden(api.get("/api/v1/audit-events", agent.key()));

		assertThat(count("SELECT count(*) FROM category WHERE merchant_id = ?", merchant.id())).isZero();
		assertThat(count("SELECT count(*) FROM tag WHERE merchant_id = ?", merchant.id())).isZero();
		assertThat(count("SELECT count(*) FROM merchant_settings WHERE merchant_id = ?", merchant.id())).isZero();
		assertThat(count("SELECT count(*) FROM sla_policy WHERE merchant_id = ?", merchant.id())).isZero();
		assertThat(count("SELECT count(*) FROM escalation_policy WHERE merchant_id = ?", merchant.id())).isZero();
		assertThat(count("SELECT count(*) FROM api_key WHERE merchant_id = ?", merchant.id())).isEqualTo(keysBefore);
		assertThat(count("SELECT count(*) FROM api_key WHERE merchant_id = ? AND revoked_at IS NOT NULL", merchant.id()))
			.isZero();
		assertThat(audits(merchant, null)).isEqualTo(auditsBefore);
		assertThat(api.get("/api/v1/settings", merchant.adminKey()).status()).isEqualTo(200);
	}

	private Agent agent(TestApi.Merchant merchant, String email) {
		var created = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", email, "email", email, "capacity", 3));
		assertThat(created.status()).isEqualTo(201);
		return new Agent(UUID.fromString(created.body().get("id").asText()), created.body().get("apiKey").asText());
	}

	private static void assertForbidden(TestApi.Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(403);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.body().get("status").asInt()).isEqualTo(403);
	}

	private long audits(TestApi.Merchant merchant, String action) {
		return action == null ? count("SELECT count(*) FROM audit_event WHERE merchant_id = ?", merchant.id())
				: jdbc.sql("SELECT count(*) FROM audit_event WHERE merchant_id = ? AND action = ?")
					.params(merchant.id(), action)
					.query(Long.class)
					.single();
	}

	private long count(String sql, UUID merchantId) {
		return jdbc.sql(sql).param(merchantId).query(Long.class).single();
	}
}
