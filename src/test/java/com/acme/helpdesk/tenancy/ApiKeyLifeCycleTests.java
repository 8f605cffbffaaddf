package com.acme.helpdesk.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.JsonNode;

@HelpdeskTest
class ApiKeyLifeCycleTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApiKeys keys;

	@Test
	void anAdminCreatesListsAndRevokesKeysShownOnce() throws Exception {
		var merchant = api.newMerchant();
		var agent = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 3)).body();
		var expiresAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

		var created = api.post("/api/v1/api-keys", merchant.adminKey(),
				Map.of("role", "AGENT", "agentId", agent.get("id").asText(), "expiresAt", expiresAt.toString()));
		assertThat(created.status()).isEqualTo(201);
		var key = created.body().get("apiKey").asText();
		assertThat(key).startsWith("hd_").startsWith(created.body().get("prefix").asText());
		assertThat(created.body().get("role").asText()).isEqualTo("AGENT");
		assertThat(Instant.parse(created.body().get("expiresAt").asText())).isEqualTo(expiresAt);
		assertThat(api.get("/api/v1/tickets", key).status()).isEqualTo(200);

		keys.awaitLastUseWrites();
		var listed = api.get("/api/v1/api-keys?size=10", merchant.adminKey()).body();
		assertThat(listed.get("totalItems").asInt()).isEqualTo(3);
		assertThat(listed.get("page").asInt()).isZero();
		assertThat(listed.get("size").asInt()).isEqualTo(10);
		var first = listed.get("items").get(0);
		assertThat(fieldNames(first)).containsExactlyInAnyOrder("id", "prefix", "role", "agentId", "createdAt",
				"lastUsedAt", "expiresAt");
		assertThat(listed.toString()).doesNotContain(key).doesNotContain(ApiKeys.hash(key));
		var id = created.body().get("id").asText();
		var mine = item(listed, id);
		assertThat(mine.get("agentId").asText()).isEqualTo(agent.get("id").asText());
		assertThat(mine.get("lastUsedAt").isNull()).isFalse();

		var revoked = api.delete("/api/v1/api-keys/" + id, merchant.adminKey());
		assertThat(revoked.status()).isEqualTo(204);
		assertThat(api.get("/api/v1/tickets", key).status()).isEqualTo(401);
		assertThat(api.get("/api/v1/api-keys", merchant.adminKey()).body().get("totalItems").asInt()).isEqualTo(2);
		assertThat(api.delete("/api/v1/api-keys/" + id, merchant.adminKey()).status()).isEqualTo(404);
	}

	@Test
	void lastUsedAtIsWrittenOnceAMinuteNotOnEveryRequest() throws Exception {
		var merchant = api.newMerchant();
		var created = api.post("/api/v1/api-keys", merchant.adminKey(), Map.of("role", "ADMIN")).body();
		var id = UUID.fromString(created.get("id").asText());
		assertThat(lastUsed(id)).isNull();

		assertThat(api.get("/api/v1/tickets", created.get("apiKey").asText()).status()).isEqualTo(200);
		keys.awaitLastUseWrites();
		var first = lastUsed(id);
		assertThat(first).isNotNull();
		jdbc.sql("UPDATE api_key SET last_used_at = last_used_at - interval '1 second' WHERE id = ?").param(id).update();
		var marked = lastUsed(id);
		assertThat(api.get("/api/v1/tickets", created.get("apiKey").asText()).status()).isEqualTo(200);
		keys.awaitLastUseWrites();

		assertThat(lastUsed(id)).as("no second write within the minute").isEqualTo(marked);
	}

	@Test
	void anAdminKeyOnlyActsAsAdminAndAnExpiredKeyAnswers401() {
		var merchant = api.newMerchant();
		var created = api.post("/api/v1/api-keys", merchant.adminKey(),
				Map.of("role", "ADMIN", "expiresAt", Instant.now().plusSeconds(3).toString()));
		assertThat(created.status()).isEqualTo(201);
		var key = created.body().get("apiKey").asText();
		assertThat(created.body().get("agentId").isNull()).isTrue();
		assertThat(api.get("/api/v1/api-keys", key).status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/tickets", key).status() == 401);
		var answer = api.get("/api/v1/tickets", key);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void aMerchantCannotRevokeItsLastValidAdminKey() {
		var merchant = api.newMerchant();
		var own = keyIdOf(merchant);
		var second = api.post("/api/v1/api-keys", merchant.adminKey(), Map.of("role", "ADMIN")).body();

		assertThat(api.delete("/api/v1/api-keys/" + second.get("id").asText(), merchant.adminKey()).status())
			.isEqualTo(204);
		var refused = api.delete("/api/v1/api-keys/" + own, merchant.adminKey());

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(api.get("/api/v1/tickets", merchant.adminKey()).status()).isEqualTo(200);
		assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE merchant_id = ? AND action = 'api-key.revoked'")
			.param(merchant.id())
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void twoAdminKeysRevokedAtOnceLeaveOne() throws Exception {
		for (int round = 0; round < 5; round++) {
			var merchant = api.newMerchant();
			var second = api.post("/api/v1/api-keys", merchant.adminKey(), Map.of("role", "ADMIN")).body();
			var firstId = keyIdOf(merchant);
			var secondId = second.get("id").asText();
			var start = new java.util.concurrent.CountDownLatch(1);
			var one = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				awaitLatch(start);
				return api.delete("/api/v1/api-keys/" + firstId, merchant.adminKey()).status();
			});
			var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				awaitLatch(start);
				return api.delete("/api/v1/api-keys/" + secondId, second.get("apiKey").asText()).status();
			});
			start.countDown();

			assertThat(java.util.List.of(one.get(), other.get())).containsExactlyInAnyOrder(204, 409);
			assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE merchant_id = ? AND role = 'ADMIN' AND revoked_at IS NULL")
				.param(merchant.id())
				.query(Long.class)
				.single()).isEqualTo(1);
		}
	}

	private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Test
	void anotherMerchantsKeysAreNotFound() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();

		assertThat(api.delete("/api/v1/api-keys/" + keyIdOf(other), merchant.adminKey()).status()).isEqualTo(404);
		assertThat(api.delete("/api/v1/api-keys/" + UUID.randomUUID(), merchant.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/api-keys", merchant.adminKey()).body().toString())
			.doesNotContain(keyIdOf(other).toString());
		assertThat(api.get("/api/v1/tickets", other.adminKey()).status()).isEqualTo(200);
	}

	@Test
	void refusesBadKeyRequestsNamingTheFieldAndWritesNothing() {
		var merchant = api.newMerchant();
		var agentId = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ann", "email", "ann@example.com", "capacity", 3)).body().get("id").asText();
		var foreignAgent = api.post("/api/v1/agents", api.newMerchant().adminKey(),
				Map.of("name", "Bob", "email", "bob@example.com", "capacity", 3)).body().get("id").asText();
		var keys = keyCount(merchant);

		assertField(create(merchant, Map.of("role", "OWNER")), "role");
		assertField(create(merchant, Map.of()), "role");
		assertField(create(merchant, Map.of("role", "AGENT")), "agentId");
		assertField(create(merchant, Map.of("role", "ADMIN", "agentId", agentId)), "agentId");
		assertField(create(merchant, Map.of("role", "AGENT", "agentId", UUID.randomUUID().toString())), "agentId");
		assertField(create(merchant, Map.of("role", "AGENT", "agentId", foreignAgent)), "agentId");
		assertField(create(merchant, Map.of("role", "AGENT", "agentId", "not-a-uuid")), "agentId");
		assertField(create(merchant, Map.of("role", "ADMIN", "expiresAt", Instant.now().minusSeconds(60).toString())),
				"expiresAt");
		assertField(create(merchant, Map.of("role", "ADMIN", "expiresAt", "tomorrow")), "expiresAt");
		var unknown = new HashMap<String, Object>(Map.of("role", "ADMIN"));
		unknown.put("key", "hd_mine");
		assertField(create(merchant, unknown), "key");
		assertField(api.get("/api/v1/api-keys?size=0", merchant.adminKey()), "size");

		assertThat(keyCount(merchant)).isEqualTo(keys);
	}

	private TestApi.Response create(TestApi.Merchant merchant, Map<String, ?> body) {
		return api.post("/api/v1/api-keys", merchant.adminKey(), body);
	}

	private static void assertField(TestApi.Response response, String field) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
	}

	private UUID keyIdOf(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT id FROM api_key WHERE key_hash = ?")
			.param(ApiKeys.hash(merchant.adminKey()))
			.query(UUID.class)
			.single();
	}

	private long keyCount(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT count(*) FROM api_key WHERE merchant_id = ?").param(merchant.id()).query(Long.class).single();
	}

	private Instant lastUsed(UUID id) {
		return jdbc.sql("SELECT last_used_at FROM api_key WHERE id = ?")
			.param(id)
			.query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
			.list()
			.get(0);
	}

	private static JsonNode item(JsonNode page, String id) {
		for (var item : page.get("items")) {
			if (item.get("id").asText().equals(id)) {
				return item;
			}
		}
		throw new AssertionError("no item " + id + " in " + page);
	}

	private static java.util.List<String> fieldNames(JsonNode node) {
		var names = new java.util.ArrayList<String>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}
}
