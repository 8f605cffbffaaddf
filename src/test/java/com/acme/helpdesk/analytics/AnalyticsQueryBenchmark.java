package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Not a test (run by hand): the analytics API over a year of history of 1,000,000 tickets of one merchant (10 agents,
 * 3 categories, 5 tags, 4 priorities; every ticket with customer messages, agent replies, a resolution, SLA outcomes,
 * a CSAT answer for one in five, some reopened and escalated). The history's facts are made in memory and turned into
 * bucket rows by the production code ({@link TicketFacts#contribution()}), then copied into {@code analytics_bucket};
 * the source tables stay empty (this measures reading, not counting). Then, over real HTTP, 20 warm-up calls and 100
 * measured calls of each: a one-year daily time series (a count and a median; the count also with an agent's key,
 * which reads that agent's own figures), a one-year breakdown by agent, a one-year summary, in a time zone with DST.
 * Prints p50/p90/p99/max per call and the server's CPU per call.
 *
 * <pre>./mvnw -B test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=AnalyticsQueryBenchmark [-Dbench.tickets=1000000]</pre>
 */
@HelpdeskTest
class AnalyticsQueryBenchmark {

	static final int TICKETS = Integer.getInteger("bench.tickets", 1_000_000);
	static final int CALLS = Integer.getInteger("bench.calls", 100);
	static final int WARMUP_CALLS = Integer.getInteger("bench.warmup-calls", 20);

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void oneYearOfAMillionTickets() throws Exception {
		var merchant = api.newMerchant();
		var key = merchant.adminKey();
		var categories = new ArrayList<UUID>();
		for (int i = 0; i < 3; i++) {
			categories.add(created(api.post("/api/v1/categories", key,
					Map.of("name", "Category " + i, "routing", Map.of("strategy", "MANUAL")))));
		}
		var agents = new ArrayList<UUID>();
		String agentKey = null;
		for (int i = 0; i < 10; i++) {
			var agent = api.post("/api/v1/agents", key, Map.of("name", "Agent " + i, "email",
					"agent" + i + "@bench.example", "capacity", 100, "availability", "ONLINE", "categoryIds",
					List.of(categories.get(i % 3))));
			agents.add(created(agent));
			agentKey = agentKey != null ? agentKey : agent.body().get("apiKey").asText();
		}
		var tags = new ArrayList<UUID>();
		for (int i = 0; i < 5; i++) {
			tags.add(created(api.post("/api/v1/tags", key, Map.of("name", "tag-" + i))));
		}

		var end = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
		var start = end.minus(365, ChronoUnit.DAYS);
		var seedStart = System.nanoTime();
		var rows = history(start, agents, categories, tags);
		var counted = System.nanoTime();
		copy(merchant.id(), rows);
		jdbc.sql("VACUUM ANALYZE analytics_bucket").update();
		System.out.printf("%n%,d tickets over a year -> %,d bucket rows: counted in %d s, copied in %d s%n", TICKETS,
				rows.size(), Duration.ofNanos(counted - seedStart).toSeconds(),
				Duration.ofNanos(System.nanoTime() - counted).toSeconds());
		rows = null;
		System.gc(); // the history's map is this harness's garbage, not the service's

		var zone = "Europe/Berlin";
		var from = LocalDate.ofInstant(start, ZoneOffset.UTC).plusDays(1);
		var to = LocalDate.ofInstant(end, ZoneOffset.UTC);
		var range = "from=" + from + "&to=" + to + "&timeZone=" + zone;
		record Call(String path, String key) {
		}
		var calls = new HashMap<String, Call>();
		calls.put("timeseries ticketsCreated by day",
				new Call("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=day&" + range, key));
		calls.put("timeseries firstResponseSeconds.median by day",
				new Call("/api/v1/analytics/timeseries?metric=firstResponseSeconds.median&groupBy=day&" + range, key));
		calls.put("timeseries ticketsCreated by day, an agent's key (own figures)",
				new Call("/api/v1/analytics/timeseries?metric=ticketsCreated&groupBy=day&" + range, agentKey));
		calls.put("breakdown by agent", new Call("/api/v1/analytics/breakdown?by=agent&" + range, key));
		calls.put("summary", new Call("/api/v1/analytics/summary?" + range, key));

		var http = HttpClient.newHttpClient();
		System.out.printf("%n=== Analytics API over %,d tickets of one year (%s, %s to %s), %d calls each after %d warm-up ===%n",
				TICKETS, zone, from, to, CALLS, WARMUP_CALLS);
		for (var call : calls.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
			var request = HttpRequest.newBuilder(URI.create(api.baseUrl() + call.getValue().path()))
				.header("Authorization", "Bearer " + call.getValue().key())
				.header("Accept", "application/json")
				.build();
			for (int i = 0; i < WARMUP_CALLS; i++) {
				var response = http.send(request, HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			}
			var cpu = CpuUsage.now();
			var millis = new double[CALLS];
			for (int i = 0; i < CALLS; i++) {
				var sent = System.nanoTime();
				var response = http.send(request, HttpResponse.BodyHandlers.ofString());
				millis[i] = (System.nanoTime() - sent) / 1e6;
				assertThat(response.statusCode()).isEqualTo(200);
			}
			var used = CpuUsage.now().since(cpu);
			var cpuMs = (used.jvmNanos() + used.postgresNanos()) / 1e6;
			Arrays.sort(millis);
			System.out.printf("%-66s p50 %6.1f  p90 %6.1f  p99 %6.1f  max %6.1f ms; CPU %.1f ms per call (JVM with the client, and PostgreSQL)%n",
					call.getKey(), at(millis, 0.5), at(millis, 0.9), at(millis, 0.99), millis[millis.length - 1],
					cpuMs / CALLS);
			System.out.printf("RESULT call=\"%s\" p50=%.1f p99=%.1f max=%.1f%n", call.getKey(), at(millis, 0.5),
					at(millis, 0.99), millis[millis.length - 1]);
		}
	}

	/** The bucket rows of a year of tickets, as the recount would write them. */
	private static Map<BucketKey, Figures> history(Instant start, List<UUID> agents, List<UUID> categories,
			List<UUID> tags) {
		var random = new SplittableRandom(42);
		var rows = new HashMap<BucketKey, Figures>(4_000_000);
		long yearSeconds = Duration.between(start, start.plus(365, ChronoUnit.DAYS)).toSeconds();
		var priorities = List.of("LOW", "MEDIUM", "HIGH", "URGENT");
		for (int i = 0; i < TICKETS; i++) {
			var created = start.plusSeconds(random.nextLong(yearSeconds - 3 * 86_400));
			var counts = new ArrayList<TicketFacts.Count>();
			var timings = new ArrayList<TicketFacts.Timing>();
			counts.add(new TicketFacts.Count(Figure.CREATED, created, 1));
			counts.add(new TicketFacts.Count(Figure.OPEN_CHANGE, created, 1));
			counts.add(new TicketFacts.Count(Figure.UNASSIGNED_CHANGE, created, 1));
			var assigned = created.plusSeconds(1 + random.nextInt(120));
			counts.add(new TicketFacts.Count(Figure.UNASSIGNED_CHANGE, assigned, -1));
			int customerMessages = 1 + random.nextInt(3);
			for (int m = 0; m < customerMessages; m++) {
				counts.add(new TicketFacts.Count(Figure.CUSTOMER_MESSAGES, created.plusSeconds(m * 3_600L), 1));
			}
			long firstResponse = (long) (60_000 * Math.exp(random.nextDouble() * 6));
			var responded = created.plusMillis(firstResponse);
			counts.add(new TicketFacts.Count(Figure.AGENT_REPLIES, responded, 1));
			timings.add(new TicketFacts.Timing(DurationMetric.FIRST_RESPONSE, responded, firstResponse));
			timings.add(new TicketFacts.Timing(DurationMetric.BUSINESS_FIRST_RESPONSE, responded, firstResponse / 3));
			counts.add(new TicketFacts.Count(
					firstResponse <= 3_600_000 ? Figure.SLA_FIRST_RESPONSE_MET : Figure.SLA_FIRST_RESPONSE_BREACHED,
					responded, 1));
			long resolution = firstResponse + (long) (600_000 * Math.exp(random.nextDouble() * 5));
			var resolved = created.plusMillis(resolution);
			counts.add(new TicketFacts.Count(Figure.AGENT_REPLIES, resolved, 1));
			counts.add(new TicketFacts.Count(Figure.RESOLVED, resolved, 1));
			counts.add(new TicketFacts.Count(Figure.OPEN_CHANGE, resolved, -1));
			timings.add(new TicketFacts.Timing(DurationMetric.RESOLUTION, resolved, resolution));
			timings.add(new TicketFacts.Timing(DurationMetric.BUSINESS_RESOLUTION, resolved, resolution / 3));
			counts.add(new TicketFacts.Count(
					resolution <= 28_800_000 ? Figure.SLA_RESOLUTION_MET : Figure.SLA_RESOLUTION_BREACHED, resolved, 1));
			if (resolution > 28_800_000 && random.nextInt(4) == 0) {
				counts.add(new TicketFacts.Count(Figure.ESCALATIONS, created.plusSeconds(28_800), 1));
			}
			if (random.nextInt(10) == 0) {
				var reopened = resolved.plusSeconds(3_600);
				counts.add(new TicketFacts.Count(Figure.REOPENED, reopened, 1));
				counts.add(new TicketFacts.Count(Figure.OPEN_CHANGE, reopened, 1));
				counts.add(new TicketFacts.Count(Figure.RESOLVED, reopened.plusSeconds(7_200), 1));
				counts.add(new TicketFacts.Count(Figure.OPEN_CHANGE, reopened.plusSeconds(7_200), -1));
			}
			counts.add(new TicketFacts.Count(Figure.CLOSED, resolved.plusSeconds(86_400), 1));
			if (random.nextInt(5) == 0) {
				counts.add(new TicketFacts.Count(Figure.csat(1 + random.nextInt(5)), resolved.plusSeconds(7_200), 1));
			}
			var ticketTags = random.nextBoolean() ? List.of(tags.get(random.nextInt(5)))
					: List.of(tags.get(i % 5), tags.get((i + 1) % 5));
			var facts = new TicketFacts(UUID.randomUUID(), agents.get(random.nextInt(agents.size())),
					categories.get(random.nextInt(categories.size())), ticketTags, priorities.get(random.nextInt(4)),
					counts, timings);
			facts.contribution().forEach((bucket, figures) -> rows.merge(bucket, figures, (a, b) -> a.add(b, 1)));
			if ((i + 1) % 100_000 == 0) {
				System.out.printf("counted %,d tickets, %,d rows%n", i + 1, rows.size());
			}
		}
		return rows;
	}

	private void copy(UUID merchantId, Map<BucketKey, Figures> rows) throws Exception {
		var hex = HexFormat.of();
		try (Connection connection = dataSource.getConnection()) {
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			var batch = new StringBuilder();
			int inBatch = 0;
			for (var row : rows.entrySet()) {
				var bucket = row.getKey();
				batch.append(merchantId).append('\t')
					.append(bucket.dimension().ordinal()).append('\t')
					.append(bucket.level().ordinal()).append('\t')
					.append(bucket.start()).append('\t')
					.append(bucket.key()).append('\t')
					.append(Arrays.stream(row.getValue().counters()).mapToObj(Long::toString)
						.collect(Collectors.joining(",", "{", "}"))).append('\t')
					.append("\\\\x").append(hex.formatHex(row.getValue().encodedSketches())).append('\n');
				if (++inBatch == 50_000) {
					copyRows(copy, batch);
					batch.setLength(0);
					inBatch = 0;
				}
			}
			copyRows(copy, batch);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
	}

	private static void copyRows(org.postgresql.copy.CopyManager copy, StringBuilder rows) throws Exception {
		copy.copyIn("COPY analytics_bucket (merchant_id, dimension, level, bucket_start, dimension_key, counters, sketches) FROM STDIN",
				new StringReader(rows.toString()));
	}

	private static double at(double[] sorted, double quantile) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
	}

	private static UUID created(TestApi.Response response) {
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}
}
