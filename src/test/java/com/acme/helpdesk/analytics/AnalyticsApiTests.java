package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The read side over the real HTTP API, with buckets written here as the write side keeps them (each figure in one
 * bucket of every level): range edges, CSV, every 400, agent keys and tenancy. Expected values are worked out by hand.
 */
@HelpdeskTest
class AnalyticsApiTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	Merchant merchant;
	Merchant other;
	UUID alice;
	String aliceKey;
	UUID bob;

	@BeforeEach
	void figures() {
		merchant = api.newMerchant();
		other = api.newMerchant();
		var a = agent(merchant, "alice");
		alice = UUID.fromString(a.get("id").asText());
		aliceKey = a.get("apiKey").asText();
		bob = UUID.fromString(agent(merchant, "bob").get("id").asText());
		// merchant: 2026-03-01 10:00 one ticket created (Alice's), 10:20 one more (Bob's), 2026-03-02 23:50 one more
		// (Bob's); a first response of 10 min at 10:10 (Alice's), of 30 min at 10:50 (Bob's)
		add(merchant, Dimension.MERCHANT, "", "2026-03-01T10:00:00Z",
				new Figures().increment(Figure.CREATED, 1).increment(Figure.OPEN_CHANGE, 1));
		add(merchant, Dimension.AGENT, alice.toString(), "2026-03-01T10:00:00Z",
				new Figures().increment(Figure.CREATED, 1).increment(Figure.OPEN_CHANGE, 1));
		add(merchant, Dimension.MERCHANT, "", "2026-03-01T10:10:00Z",
				new Figures().increment(Figure.AGENT_REPLIES, 1).addDuration(DurationMetric.FIRST_RESPONSE, 600_000));
		add(merchant, Dimension.AGENT, alice.toString(), "2026-03-01T10:10:00Z",
				new Figures().increment(Figure.AGENT_REPLIES, 1).addDuration(DurationMetric.FIRST_RESPONSE, 600_000));
		for (var at : List.of("2026-03-01T10:20:00Z", "2026-03-02T23:50:00Z")) {
			add(merchant, Dimension.MERCHANT, "", at,
					new Figures().increment(Figure.CREATED, 1).increment(Figure.OPEN_CHANGE, 1));
			add(merchant, Dimension.AGENT, bob.toString(), at,
					new Figures().increment(Figure.CREATED, 1).increment(Figure.OPEN_CHANGE, 1));
		}
		add(merchant, Dimension.MERCHANT, "", "2026-03-01T10:50:00Z", new Figures().increment(Figure.AGENT_REPLIES, 1)
			.addDuration(DurationMetric.FIRST_RESPONSE, 1_800_000)
			.increment(Figure.CSAT_4, 1));
		add(merchant, Dimension.AGENT, bob.toString(), "2026-03-01T10:50:00Z", new Figures()
			.increment(Figure.AGENT_REPLIES, 1)
			.addDuration(DurationMetric.FIRST_RESPONSE, 1_800_000)
			.increment(Figure.CSAT_4, 1));
		// Alice's ticket resolved 2026-03-03 08:00: it leaves the backlog
		add(merchant, Dimension.MERCHANT, "", "2026-03-03T08:00:00Z",
				new Figures().increment(Figure.RESOLVED, 1).increment(Figure.OPEN_CHANGE, -1));
		add(merchant, Dimension.AGENT, alice.toString(), "2026-03-03T08:00:00Z",
				new Figures().increment(Figure.RESOLVED, 1).increment(Figure.OPEN_CHANGE, -1));
		// the other merchant: 7 tickets at the same time
		add(other, Dimension.MERCHANT, "", "2026-03-01T10:00:00Z",
				new Figures().increment(Figure.CREATED, 7).increment(Figure.OPEN_CHANGE, 7));
		add(other, Dimension.AGENT, alice.toString(), "2026-03-01T10:00:00Z", new Figures().increment(Figure.CREATED, 7));
	}

	@Test
	void summaryAddsTheBucketsOfTheRangeAndTellsTheBacklogNow() {
		var summary = get("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", merchant.adminKey());
		assertThat(summary.status()).isEqualTo(200);
		var body = summary.body();
		assertThat(body.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
		assertThat(body.get("to").asText()).isEqualTo("2026-03-04T00:00:00Z");
		assertThat(body.get("timeZone").asText()).isEqualTo("UTC");
		assertThat(body.get("ticketsCreated").asLong()).isEqualTo(3);
		assertThat(body.get("ticketsResolved").asLong()).isEqualTo(1);
		assertThat(body.get("agentReplies").asLong()).isEqualTo(2);
		assertThat(body.get("firstResponseSeconds").get("count").asLong()).isEqualTo(2);
		assertThat(body.get("firstResponseSeconds").get("average").asDouble()).isEqualTo(1200.0); // (600 + 1800) / 2
		assertThat(body.get("firstResponseSeconds").get("median").asDouble()).isBetween(600 * 0.95, 600 * 1.05);
		assertThat(body.get("resolutionSeconds").get("count").asLong()).isZero();
		assertThat(body.get("resolutionSeconds").get("median").isNull()).isTrue();
		assertThat(body.get("csat").get("answers").asLong()).isEqualTo(1);
		assertThat(body.get("csat").get("average").asDouble()).isEqualTo(4.0);
		assertThat(body.get("csat").get("satisfiedShare").asDouble()).isEqualTo(1.0);
		assertThat(body.get("csat").get("byScore").get("4").asLong()).isEqualTo(1);
		assertThat(body.get("sla").get("firstResponse").get("met").asLong()).isZero();
		// 3 created, 1 resolved: 2 open, whatever the range
		assertThat(body.get("backlog").get("open").asLong()).isEqualTo(2);
		assertThat(body.get("backlog").get("pending").asLong()).isZero();
		var fields = new java.util.ArrayList<String>();
		body.fieldNames().forEachRemaining(fields::add);
		assertThat(fields).containsExactly("from", "to", "timeZone", "ticketsCreated", "ticketsResolved",
				"ticketsReopened", "ticketsClosed", "customerMessages", "agentReplies", "firstResponseSeconds",
				"resolutionSeconds", "businessFirstResponseSeconds", "businessResolutionSeconds", "sla", "escalations",
				"csat", "backlog");
	}

	@Test
	void rangeEdgesCountOnlyWhatIsInside() {
		// [10:00, 10:15) holds the first creation only; [10:15, 23:45 of the 2nd) the second; the month all three
		assertThat(created("from=2026-03-01T10:00:00Z&to=2026-03-01T10:15:00Z")).isEqualTo(1);
		assertThat(created("from=2026-03-01T10:15:00Z&to=2026-03-02T23:45:00Z")).isEqualTo(1);
		assertThat(created("from=2026-03-02T23:45:00Z&to=2026-03-03T00:00:00Z")).isEqualTo(1);
		assertThat(created("from=2026-03-01&to=2026-04-01")).isEqualTo(3);
		assertThat(created("from=2026-02-01&to=2026-03-01")).isZero();
		// 2026-03-02 23:50 UTC is 2026-03-03 00:50 in Berlin (+01:00) and 2026-03-02 18:50 in New York (-05:00)
		assertThat(created("from=2026-03-03&to=2026-03-04&timeZone=Europe/Berlin")).isEqualTo(1);
		assertThat(created("from=2026-03-02&to=2026-03-03&timeZone=Europe/Berlin")).isZero();
		assertThat(created("from=2026-03-02&to=2026-03-03&timeZone=America/New_York")).isEqualTo(1);
		// an offset written with '+' unencoded arrives as a space, and is read as '+'
		assertThat(created("from=2026-03-01T11:00:00+01:00&to=2026-03-01T11:15:00%2B01:00")).isEqualTo(1);
	}

	@Test
	void timeseriesHasAPointPerLocalPeriodAndTheBacklogAtEachPointsEnd() {
		var series = get("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=day&from=2026-03-01&to=2026-03-04",
				merchant.adminKey()).body();
		assertThat(series.get("metric").asText()).isEqualTo("ticketsCreated");
		assertThat(series.get("groupBy").asText()).isEqualTo("day");
		assertThat(series.get("timeZone").asText()).isEqualTo("UTC");
		assertThat(points(series)).containsExactly(entry("2026-03-01T00:00:00Z", "2"), entry("2026-03-02T00:00:00Z", "1"),
				entry("2026-03-03T00:00:00Z", "0"));
		// New York days: the backlog before the 2nd's local midnight (05:00Z) is 2, the 23:50Z creation makes 3 by the
		// 2nd's end, the resolution at 08:00Z of the 3rd leaves 2
		var newYork = get(
				"/api/v1/analytics/timeseries?metric=backlog.open&groupBy=day&from=2026-03-02&to=2026-03-04&timeZone=America/New_York",
				merchant.adminKey()).body();
		assertThat(points(newYork)).containsExactly(entry("2026-03-02T00:00:00-05:00", "3"),
				entry("2026-03-03T00:00:00-05:00", "2"));
		// from whole months before: March leaves 2 open
		var april = get("/api/v1/analytics/timeseries?metric=backlog.open&groupBy=day&from=2026-04-01&to=2026-04-03",
				merchant.adminKey()).body();
		assertThat(points(april)).extracting(Map.Entry::getValue).containsExactly("2", "2");
		var hourly = get(
				"/api/v1/analytics/timeseries?metric=backlog.open&groupBy=hour&from=2026-03-02T22:00:00Z&to=2026-03-03T09:00:00Z",
				merchant.adminKey()).body();
		assertThat(points(hourly).get(1)).isEqualTo(entry("2026-03-02T23:00:00Z", "3"));
		assertThat(points(hourly).get(10)).isEqualTo(entry("2026-03-03T08:00:00Z", "2"));
		var median = get(
				"/api/v1/analytics/timeseries?metric=firstResponseSeconds.median&groupBy=hour&from=2026-03-01T09:00:00Z&to=2026-03-01T12:00:00Z",
				merchant.adminKey()).body();
		assertThat(median.get("points").get(0).get("value").isNull()).isTrue();
		assertThat(median.get("points").get(1).get("value").asDouble()).isBetween(600 * 0.95, 600 * 1.05);
	}

	@Test
	void breakdownHasARowPerKeyWithFiguresInTheRange() {
		var breakdown = get("/api/v1/analytics/breakdown?by=agent&from=2026-03-01&to=2026-03-02", merchant.adminKey())
			.body();
		assertThat(breakdown.get("by").asText()).isEqualTo("agent");
		var rows = new java.util.HashMap<String, JsonNode>();
		breakdown.get("rows").forEach(row -> rows.put(row.get("key").asText(), row));
		assertThat(rows).containsOnlyKeys(alice.toString(), bob.toString());
		assertThat(rows.get(alice.toString()).get("ticketsCreated").asLong()).isEqualTo(1);
		assertThat(rows.get(bob.toString()).get("ticketsCreated").asLong()).isEqualTo(1);
		assertThat(rows.get(bob.toString()).get("csat").get("answers").asLong()).isEqualTo(1);
		assertThat(rows.get(bob.toString()).has("backlog")).isFalse();
		// on the 3rd Alice's row has the resolution, Bob has nothing
		var third = get("/api/v1/analytics/breakdown?by=agent&from=2026-03-03&to=2026-03-04", merchant.adminKey()).body();
		assertThat(third.get("rows")).singleElement()
			.satisfies(row -> assertThat(row.get("key").asText()).isEqualTo(alice.toString()));
	}

	@Test
	void everyReportAnswersCsvWhenAskedFor() throws Exception {
		var summary = csv("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", merchant.adminKey());
		assertThat(summary.statusCode()).isEqualTo(200);
		assertThat(summary.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
		var lines = summary.body().split("\r\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).startsWith("from,to,timeZone,ticketsCreated,ticketsResolved,")
			.contains(",firstResponseSeconds.count,firstResponseSeconds.average,firstResponseSeconds.median,")
			.contains(",sla.firstResponse.met,")
			.contains(",csat.byScore.1,")
			.endsWith(",backlog.open,backlog.pending,backlog.unassigned");
		assertThat(lines[1]).startsWith("2026-03-01T00:00:00Z,2026-03-04T00:00:00Z,UTC,3,1,0,0,0,2,2,1200,")
			.endsWith(",2,0,0");
		var cells = lines[1].split(",", -1);
		var header = List.of(lines[0].split(","));
		assertThat(cells[header.indexOf("resolutionSeconds.median")]).isEmpty();

		var series = csv("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=day&from=2026-03-01&to=2026-03-03",
				merchant.adminKey());
		assertThat(series.body()).isEqualTo(
				"start,ticketsCreated\r\n2026-03-01T00:00:00Z,2\r\n2026-03-02T00:00:00Z,1\r\n");

		var breakdown = csv("/api/v1/analytics/breakdown?by=agent&from=2026-03-01&to=2026-03-02", aliceKey);
		var rows = breakdown.body().split("\r\n");
		assertThat(rows).hasSize(2);
		assertThat(rows[0]).startsWith("key,ticketsCreated,");
		assertThat(rows[1]).startsWith(alice + ",1,0,");

		// JSON stays the default, and wins where it is preferred
		assertThat(send("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", merchant.adminKey(),
				"application/json;q=0.9, text/csv;q=0.5").headers().firstValue("Content-Type").orElseThrow())
			.startsWith("application/json");
		// a bad request asked as CSV is still a problem detail
		var problem = csv("/api/v1/analytics/summary?from=yesterday&to=2026-03-04", merchant.adminKey());
		assertThat(problem.statusCode()).isEqualTo(400);
		assertThat(problem.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		assertThat(problem.body()).contains("\"field\":\"from\"");
	}

	@Test
	void everyBadParameterIsAProblemNamingIt() {
		var cases = Map.ofEntries(Map.entry("/summary?to=2026-03-04", "from"),
				Map.entry("/summary?from=2026-03-01", "to"),
				Map.entry("/summary?from=2026-13-01&to=2026-03-04", "from"),
				Map.entry("/summary?from=2026-03-01&to=soon", "to"),
				Map.entry("/summary?from=2026-03-01T10:05:00Z&to=2026-03-04", "from"),
				Map.entry("/summary?from=2026-03-01&to=2026-03-04T00:00:30Z", "to"),
				Map.entry("/summary?from=2026-03-04&to=2026-03-01", "from"),
				Map.entry("/summary?from=2026-03-01&to=2026-03-01", "from"),
				Map.entry("/summary?from=2026-03-01&to=2026-03-04&timeZone=Mars/Olympus", "timeZone"),
				Map.entry("/summary?from=2025-01-01&to=2026-03-04", "to"),
				Map.entry("/summary?from=1969-12-01&to=1970-01-02", "from"),
				Map.entry("/timeseries?metric=ticketsBought&from=2026-03-01&to=2026-03-04", "metric"),
				Map.entry("/timeseries?metric=firstResponseSeconds&from=2026-03-01&to=2026-03-04", "metric"),
				Map.entry("/timeseries?from=2026-03-01&to=2026-03-04", "metric"),
				Map.entry("/timeseries?metric=ticketsCreated&groupBy=fortnight&from=2026-03-01&to=2026-03-04", "groupBy"),
				Map.entry("/timeseries?metric=ticketsCreated&groupBy=hour&from=2025-01-01&to=2026-03-04", "to"),
				Map.entry("/breakdown?by=requester&from=2026-03-01&to=2026-03-04", "by"),
				Map.entry("/breakdown?from=2026-03-01&to=2026-03-04", "by"),
				Map.entry("/breakdown?by=tag&from=2026-03-01&to=2026-03-01T00:10:00Z", "to"));
		cases.forEach((query, field) -> {
			var response = get("/api/v1/analytics" + query, merchant.adminKey());
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.header("Content-Type")).as(query).startsWith("application/problem+json");
			assertThat(response.body().get("errors")).as(query)
				.singleElement()
				.satisfies(error -> assertThat(error.get("field").asText()).isEqualTo(field));
		});
	}

	@Test
	void anAgentKeySeesOnlyItsOwnAgentsFigures() {
		var summary = get("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", aliceKey).body();
		assertThat(summary.get("ticketsCreated").asLong()).isEqualTo(1);
		assertThat(summary.get("ticketsResolved").asLong()).isEqualTo(1);
		assertThat(summary.get("firstResponseSeconds").get("count").asLong()).isEqualTo(1);
		assertThat(summary.get("csat").get("answers").asLong()).isZero();
		assertThat(summary.get("backlog").get("open").asLong()).isZero();
		var series = get("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=day&from=2026-03-01&to=2026-03-04",
				aliceKey).body();
		assertThat(points(series)).extracting(Map.Entry::getValue).containsExactly("1", "0", "0");
		var breakdown = get("/api/v1/analytics/breakdown?by=agent&from=2026-03-01&to=2026-03-04", aliceKey).body();
		assertThat(breakdown.get("rows")).singleElement()
			.satisfies(row -> assertThat(row.get("key").asText()).isEqualTo(alice.toString()));
		for (var by : List.of("category", "tag", "priority")) {
			var refused = get("/api/v1/analytics/breakdown?by=" + by + "&from=2026-03-01&to=2026-03-04", aliceKey);
			assertThat(refused.status()).as(by).isEqualTo(403);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
	}

	@Test
	void noMerchantSeesAnothersFigures() {
		assertThat(created("from=2026-03-01&to=2026-03-04")).isEqualTo(3);
		var others = get("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", other.adminKey()).body();
		assertThat(others.get("ticketsCreated").asLong()).isEqualTo(7);
		assertThat(others.get("agentReplies").asLong()).isZero();
		assertThat(others.get("backlog").get("open").asLong()).isEqualTo(7);
		// the other merchant's row under Alice's id is not Alice's
		var breakdown = get("/api/v1/analytics/breakdown?by=agent&from=2026-03-01&to=2026-03-04", merchant.adminKey())
			.body();
		breakdown.get("rows").forEach(row -> {
			if (row.get("key").asText().equals(alice.toString())) {
				assertThat(row.get("ticketsCreated").asLong()).isEqualTo(1);
			}
		});
		assertThat(get("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", aliceKey).body().get("ticketsCreated")
			.asLong()).isEqualTo(1);
		assertThat(get("/api/v1/analytics/summary?from=2026-03-01&to=2026-03-04", null).status()).isEqualTo(401);
	}

	private long created(String query) {
		var response = get("/api/v1/analytics/summary?" + query, merchant.adminKey());
		assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(200);
		return response.body().get("ticketsCreated").asLong();
	}

	private TestApi.Response get(String path, String key) {
		return api.get(path, key);
	}

	private static List<Map.Entry<String, String>> points(JsonNode series) {
		var points = new java.util.ArrayList<Map.Entry<String, String>>();
		series.get("points").forEach(p -> points.add(entry(p.get("start").asText(), p.get("value").asText())));
		return points;
	}

	private static Map.Entry<String, String> entry(String start, String value) {
		return Map.entry(start, value);
	}

	private HttpResponse<String> csv(String path, String key) throws IOException, InterruptedException {
		return send(path, key, "text/csv");
	}

	private HttpResponse<String> send(String path, String key, String accept) {
		try {
			var request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
				.header("Authorization", "Bearer " + key)
				.header("Accept", accept)
				.GET()
				.build();
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private JsonNode agent(Merchant merchant, String name) {
		var response = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", name, "email", name + "-" + UUID.randomUUID() + "@example.com", "capacity", 10));
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
		return response.body();
	}

	/** Adds {@code figures} to the bucket of every level holding {@code at}, as the write side does. */
	private void add(Merchant merchant, Dimension dimension, String key, String at, Figures figures) {
		var instant = Instant.parse(at);
		for (var level : BucketLevel.values()) {
			var start = level.floor(instant);
			var stored = jdbc.sql("""
					SELECT counters, sketches FROM analytics_bucket
					WHERE merchant_id = ? AND dimension = ? AND level = ? AND bucket_start = ? AND dimension_key = ?""")
				.params(merchant.id(), (short) dimension.ordinal(), (short) level.ordinal(), Timestamp.from(start), key)
				.query((rs, row) -> Figures.of(longs((Object[]) rs.getArray(1).getArray()), rs.getBytes(2)))
				.optional()
				.orElseGet(Figures::new)
				.add(figures, 1);
			var counters = java.util.Arrays.stream(stored.counters()).boxed().toArray(Long[]::new);
			jdbc.sql("""
					INSERT INTO analytics_bucket (merchant_id, dimension, level, bucket_start, dimension_key, counters, sketches)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (merchant_id, dimension, level, bucket_start, dimension_key)
					DO UPDATE SET counters = EXCLUDED.counters, sketches = EXCLUDED.sketches""")
				.params(merchant.id(), (short) dimension.ordinal(), (short) level.ordinal(), Timestamp.from(start), key,
						counters, stored.encodedSketches())
				.update();
		}
	}

	private static long[] longs(Object[] values) {
		var longs = new long[values.length];
		for (int i = 0; i < values.length; i++) {
			longs[i] = ((Number) values[i]).longValue();
		}
		return longs;
	}
}
