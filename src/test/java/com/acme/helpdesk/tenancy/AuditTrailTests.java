package com.acme.helpdesk.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.shared.Purged;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.JsonNode;

@HelpdeskTest
class AuditTrailTests {

	static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("an audit trail never shows it!!".getBytes());

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void recordsWhoChangedWhatNewestFirstWithoutSecrets() {
		var merchant = api.newMerchant();
		var adminKeyId = keyIdOf(merchant.adminKey());

		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", "https://hooks.example.com/x",
				"webhookSecret", SECRET, "surveyDelay", "PT1H")).status()).isEqualTo(200);
		var agent = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 3)).body();
		var agentId = agent.get("id").asText();
		assertThat(api.patch("/api/v1/agents/" + agentId, merchant.adminKey(), Map.of("capacity", 7)).status())
			.isEqualTo(200);
		assertThat(api.put("/api/v1/sla-policies/HIGH", merchant.adminKey(),
				Map.of("firstResponse", "PT1H", "resolution", "PT8H")).status()).isEqualTo(200);
		assertThat(api.put("/api/v1/escalation-policy", merchant.adminKey(),
				Map.of("levels", List.of(Map.of("after", "PT1H", "action", "NOTIFY_SUPERVISOR")))).status())
			.isEqualTo(200);
		var key = api.post("/api/v1/api-keys", merchant.adminKey(), Map.of("role", "ADMIN")).body();
		assertThat(api.delete("/api/v1/api-keys/" + key.get("id").asText(), merchant.adminKey()).status())
			.isEqualTo(204);

		var page = api.get("/api/v1/audit-events?size=100", merchant.adminKey());
		assertThat(page.status()).isEqualTo(200);
		var events = new ArrayList<JsonNode>();
		page.body().get("items").forEach(events::add);
		assertThat(events).extracting(e -> e.get("action").asText())
			.containsExactly("api-key.revoked", "api-key.created", "escalation-policy.updated", "sla-policy.updated",
					"agent.updated", "api-key.created", "agent.created", "settings.updated", "api-key.created");
		assertThat(page.body().get("totalItems").asInt()).isEqualTo(9);
		var fields = new ArrayList<String>();
		events.get(0).fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactlyInAnyOrder("id", "at", "actorKeyId", "action", "target", "before", "after");
		assertThat(events.subList(0, 8)).allSatisfy(e -> assertThat(e.get("actorKeyId").asText())
			.isEqualTo(adminKeyId.toString()));
		assertThat(events.get(8).get("actorKeyId").isNull()).as("the first key, issued by operations").isTrue();

		var settings = events.get(7);
		assertThat(settings.get("target").asText()).isEqualTo("settings");
		assertThat(settings.get("before").get("webhookSecretSet").asBoolean()).isFalse();
		assertThat(settings.get("after").get("webhookSecretSet").asBoolean()).isTrue();
		assertThat(settings.get("after").get("webhookUrl").asText()).isEqualTo("https://hooks.example.com/x");
		var agentUpdate = events.get(4);
		assertThat(agentUpdate.get("target").asText()).isEqualTo("agent:" + agentId);
		assertThat(agentUpdate.get("before").get("capacity").asInt()).isEqualTo(3);
		assertThat(agentUpdate.get("after").get("capacity").asInt()).isEqualTo(7);
		var sla = events.get(3);
		assertThat(sla.get("target").asText()).isEqualTo("sla-policy:HIGH");
		assertThat(sla.get("before").isNull()).isTrue();
		assertThat(sla.get("after").get("resolution").asText()).isEqualTo("PT8H");
		var revoked = events.get(0);
		assertThat(revoked.get("target").asText()).isEqualTo("api-key:" + key.get("id").asText());
		assertThat(revoked.get("after").isNull()).isTrue();

		var everything = page.body().toString() + jdbc.sql("SELECT string_agg(coalesce(before::text, '') || after::text, '')"
				+ " FROM audit_event WHERE merchant_id = ?").param(merchant.id()).query(String.class).single();
		assertThat(everything).doesNotContain(SECRET)
			.doesNotContain(key.get("apiKey").asText())
			.doesNotContain(ApiKeys.hash(key.get("apiKey").asText()))
			.doesNotContain(agent.get("apiKey").asText())
			.doesNotContain(ApiKeys.hash(merchant.adminKey()));
	}

	@Test
	void aRefusedChangeWritesNoAuditEventAndMerchantsSeeOnlyTheirOwn() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();
		api.put("/api/v1/settings", other.adminKey(), Map.of("returnTicketsOfOfflineAgents", true));
		var before = count(merchant.id());

		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("surveyDelay", "P90D")).status())
			.isEqualTo(400);
		assertThat(api.put("/api/v1/sla-policies/HIGH", merchant.adminKey(),
				Map.of("firstResponse", "PT0S", "resolution", "PT8H")).status()).isEqualTo(400);
		assertThat(api.patch("/api/v1/agents/" + UUID.randomUUID(), merchant.adminKey(), Map.of("capacity", 2)).status())
			.isEqualTo(404);

		assertThat(count(merchant.id())).isEqualTo(before);
		var page = api.get("/api/v1/audit-events", merchant.adminKey()).body();
		assertThat(page.get("totalItems").asLong()).isEqualTo(before);
		assertThat(page.toString()).doesNotContain("settings.updated");
	}

	@Test
	void purgesEventsPastTheRetentionInBatchesAndNothingElse() {
		var merchant = api.newMerchant();
		// a quarter of a century back: no other test's events are that old
		var now = Instant.parse("2001-01-01T00:00:00Z");
		var retention = Duration.ofDays(365);
		insert(merchant.id(), 5, now.minus(retention).minusSeconds(60));
		insert(merchant.id(), 3, now.minus(retention).plusSeconds(60));
		var before = count(merchant.id());
		var purge = new AuditRetention(jdbc, new AuditProperties(retention, "43 3 * * *", 2), new MutableClock(now));

		assertThat(purge.purgeExpired()).as("5 events, at most 2 a statement").isEqualTo(new Purged(5, 3));
		assertThat(count(merchant.id())).isEqualTo(before - 5);
		assertThat(purge.purgeExpired()).isEqualTo(new Purged(0, 1));
		assertThat(count(merchant.id())).isEqualTo(before - 5);
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(AuditRetention.PURGE_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private void insert(UUID merchantId, int events, Instant at) {
		jdbc.sql("""
				INSERT INTO audit_event (id, merchant_id, at, action, target)
				SELECT gen_random_uuid(), ?, ?, 'settings.updated', 'settings' FROM generate_series(1, ?)""")
			.params(merchantId, Timestamp.from(at), events)
			.update();
	}

	private long count(UUID merchantId) {
		return jdbc.sql("SELECT count(*) FROM audit_event WHERE merchant_id = ?").param(merchantId).query(Long.class).single();
	}

	private UUID keyIdOf(String key) {
		return jdbc.sql("SELECT id FROM api_key WHERE key_hash = ?").param(ApiKeys.hash(key)).query(UUID.class).single();
	}
}
