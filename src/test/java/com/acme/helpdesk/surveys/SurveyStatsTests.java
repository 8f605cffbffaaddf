package com.acme.helpdesk.surveys;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

import com.fasterxml.jackson.databind.JsonNode;

/** The statistics against figures computed by hand for a seeded set of surveys. */
@HelpdeskTest
class SurveyStatsTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	UUID merchantId;

	void seed(UUID agent, UUID category, Integer rating, String createdAt) {
		var created = Instant.parse(createdAt);
		jdbc.sql("""
				INSERT INTO survey (id, merchant_id, ticket_id, ticket_number, subject, agent_id, category_id, token,
				    question, created_at, expires_at, rating, answered_at)
				VALUES (?, ?, ?, 1, 's', ?, ?, ?, 'q', ?, ?, ?, ?)""")
			.params(UUID.randomUUID(), merchantId, UUID.randomUUID(), agent, category, UUID.randomUUID().toString(),
					Timestamp.from(created), Timestamp.from(created.plusSeconds(86400 * 14)), rating,
					rating == null ? null : Timestamp.from(created.plusSeconds(3600)))
			.update();
	}

	@Test
	void statisticsMatchHandComputedFiguresPerMerchantAgentAndCategory() {
		var merchant = api.newMerchant();
		merchantId = merchant.id();
		var a = UUID.fromString("00000000-0000-0000-0000-00000000000a");
		var b = UUID.fromString("00000000-0000-0000-0000-00000000000b");
		var c1 = UUID.randomUUID();
		var c2 = UUID.randomUUID();
		seed(a, c1, 5, "2030-01-02T10:00:00Z");
		seed(a, c1, 4, "2030-01-03T10:00:00Z");
		seed(a, c2, 2, "2030-01-04T10:00:00Z");
		seed(a, c2, null, "2030-01-05T10:00:00Z");
		seed(b, c1, 3, "2030-01-06T10:00:00Z");
		seed(b, null, null, "2030-01-30T23:59:00Z");
		seed(b, c2, 5, "2029-12-31T23:59:00Z"); // before the range
		seed(b, c2, 5, "2030-01-31T00:00:00Z"); // after it
		// another merchant's answer never counts
		var own = merchantId;
		merchantId = api.newMerchant().id();
		seed(a, c1, 1, "2030-01-10T10:00:00Z");
		merchantId = own;

		var response = api.get("/api/v1/surveys/stats?from=2030-01-01&to=2030-01-30", merchant.adminKey());
		assertThat(response.status()).isEqualTo(200);
		var stats = response.body();
		assertThat(stats.get("requested").asLong()).isEqualTo(6);
		assertThat(stats.get("responses").asLong()).isEqualTo(4);
		assertThat(stats.get("responseRate").decimalValue()).isEqualByComparingTo("0.6667");
		assertThat(stats.get("satisfaction").decimalValue()).isEqualByComparingTo("0.5");

		var byAgent = byKey(stats.get("byAgent"), "agentId");
		assertFigures(byAgent.get(a.toString()), 4, 3, "0.75", "0.6667");
		assertFigures(byAgent.get(b.toString()), 2, 1, "0.5", "0");
		var byCategory = byKey(stats.get("byCategory"), "categoryId");
		assertFigures(byCategory.get(c1.toString()), 3, 3, "1", "0.6667");
		assertFigures(byCategory.get(c2.toString()), 2, 1, "0.5", "0");
		assertFigures(byCategory.get("null"), 1, 0, "0", null);

		var instants = api.get("/api/v1/surveys/stats?from=2030-01-02T10:00:00Z&to=2030-01-03T10:00:00Z",
				merchant.adminKey()).body();
		assertThat(instants.get("requested").asLong()).isEqualTo(1);
		assertThat(instants.get("satisfaction").decimalValue()).isEqualByComparingTo("1");

		assertThat(api.get("/api/v1/surveys/stats?from=yesterday", merchant.adminKey()).body().get("detail").asText())
			.contains("from");
		assertThat(api.get("/api/v1/surveys/stats?from=2030-02-01&to=2030-01-01", merchant.adminKey()).status())
			.isEqualTo(400);
	}

	private static HashMap<String, JsonNode> byKey(JsonNode list, String key) {
		var map = new HashMap<String, JsonNode>();
		list.forEach(item -> map.put(item.get(key).isNull() ? "null" : item.get(key).asText(), item));
		return map;
	}

	private static void assertFigures(JsonNode figures, long requested, long responses, String rate, String satisfaction) {
		assertThat(figures.get("requested").asLong()).isEqualTo(requested);
		assertThat(figures.get("responses").asLong()).isEqualTo(responses);
		assertThat(figures.get("responseRate").decimalValue()).isEqualByComparingTo(rate);
		if (satisfaction == null) {
			assertThat(figures.get("satisfaction").isNull()).isTrue();
		}
		else {
			assertThat(figures.get("satisfaction").decimalValue()).isEqualByComparingTo(satisfaction);
		}
	}
}
