package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.acme.helpdesk.support.CuttableProxy;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * Not part of the suite (a fault test run by hand, its bounds are wall-clock): the service in a JVM of its own, run
 * mode {@code all}, with a TCP proxy between it and PostgreSQL, under a steady load of ticket creations
 * ({@code -Dfault.clients}, 8 closed-loop clients) for {@code -Dfault.seconds} (40 s); 10 s in, the proxy is cut for
 * {@code -Dfault.cut-seconds} (10 s). Each client sends every creation with an {@code Idempotency-Key} and, as a
 * client should, sends it again after a 503's {@code Retry-After} until it is answered 201 (a commit whose answer the
 * cut lost is then answered by the replay, not doubled). Then it waits for every ticket to be fully processed and
 * checks:
 * <ul>
 * <li>every answer was 201, or 503 problem+json with {@code Retry-After}; no answer took longer than the connection
 * bound ({@code HELPDESK_DATABASE_CONNECTION_TIMEOUT}, 2 s) plus 1 s of its own work;</li>
 * <li>{@code /actuator/health} answered DOWN within 1 s of the cut, each answer within 1 s;</li>
 * <li>nothing lost: every request was answered 201 in the end, and its ticket exists once and is assigned, enriched,
 * with both SLA clocks, no job left, no incomplete publication, no dead letter; nothing doubled: no other ticket
 * exists, the agents' loads add up to the tickets, one {@code assign} job and one assignment notification per
 * ticket.</li>
 * </ul>
 *
 * <pre>./mvnw -B test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=DatabaseCutFaultBenchmark</pre>
 */
class DatabaseCutFaultBenchmark {

	static final Duration BOUND = Duration.ofSeconds(2);
	static final ObjectMapper JSON = new ObjectMapper();

	final int clients = Integer.getInteger("fault.clients", 8);
	final int seconds = Integer.getInteger("fault.seconds", 40);
	final int cutSeconds = Integer.getInteger("fault.cut-seconds", 10);
	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	record Answer(String subject, long startedNanos, long millis, int status, String contentType, String retryAfter,
			boolean replayed) {
	}

	@Test
	void cutTheDatabaseForTenSecondsUnderLoad() throws Exception {
		var smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		smtp.start();
		var direct = TestDatabase.url();
		try (var proxy = CuttableProxy.toDatabaseOf(direct);
				var app = HelpdeskProcess.start(HelpdeskApplication.class.getName(), "database-cut",
						proxy.through(direct), TestDatabase.user(), TestDatabase.password(),
						"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtp.getSmtp().getPort(),
						"--helpdesk.outbox.resubmit-older-than=PT20S", "--helpdesk.outbox.resubmit-cron=* * * * *");
				var poller = new SingleConnectionDataSource(direct, TestDatabase.user(), TestDatabase.password(), true)) {
			var db = JdbcClient.create(poller);
			var api = new TestApi(app.port());
			var merchant = api.newMerchant();
			var category = api.post("/api/v1/categories", merchant.adminKey(),
					Map.of("name", "Cut", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();
			for (int i = 0; i < 4; i++) {
				assertThat(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Agent " + i, "email",
						"agent" + i + "@cut.example", "capacity", 10_000, "availability", "ONLINE", "categoryIds",
						List.of(category))).status()).isEqualTo(201);
			}
			assertThat(api.put("/api/v1/sla-policies/MEDIUM", merchant.adminKey(),
					Map.of("firstResponse", "PT1H", "resolution", "PT8H")).status()).isEqualTo(200);

			var answers = new ConcurrentLinkedQueue<Answer>();
			var health = new ConcurrentLinkedQueue<long[]>(); // [sent nanos, millis, status]
			var start = System.nanoTime();
			var end = start + Duration.ofSeconds(seconds).toNanos();
			var cutAt = start + Duration.ofSeconds(10).toNanos();
			var restoreAt = cutAt + Duration.ofSeconds(cutSeconds).toNanos();
			var done = new CountDownLatch(clients + 1);
			var sequence = new AtomicInteger();
			var createdSubjects = new ConcurrentLinkedQueue<String>();
			for (int c = 0; c < clients; c++) {
				new Thread(() -> {
					while (System.nanoTime() < end) {
						// as a client should: the same request with the same Idempotency-Key again after a 503 (or a
						// lost answer), until it is answered 201; a commit whose answer was lost is then not doubled
						var subject = "cut-" + sequence.incrementAndGet() + "-" + UUID.randomUUID();
						var giveUp = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
						Answer answer;
						do {
							answer = post(app, merchant.adminKey(), subject, category);
							answers.add(answer);
							if (answer.status() != 201) {
								sleep(answer.retryAfter().isBlank() ? 1000 : 1000L * Long.parseLong(answer.retryAfter()));
							}
						}
						while (answer.status() != 201 && System.nanoTime() < giveUp);
						if (answer.status() == 201) {
							createdSubjects.add(subject);
						}
					}
					done.countDown();
				}, "fault-client-" + c).start();
			}
			new Thread(() -> {
				while (System.nanoTime() < end) {
					var sent = System.nanoTime();
					var status = status(app, "/actuator/health");
					health.add(new long[] { sent, (System.nanoTime() - sent) / 1_000_000, status });
					sleep(200);
				}
				done.countDown();
			}, "fault-health").start();
			sleepUntil(cutAt);
			proxy.cut();
			sleepUntil(restoreAt);
			proxy.restore();
			done.await();

			var created = List.copyOf(createdSubjects);
			var refused = answers.stream().filter(a -> a.status() != 201).toList();
			var retriedSubjects = refused.stream().map(Answer::subject).collect(java.util.stream.Collectors.toSet());
			var replayedAfterRefusal = answers.stream()
				.filter(a -> a.status() == 201 && a.replayed() && retriedSubjects.contains(a.subject()))
				.count();
			var slowest = answers.stream().mapToLong(Answer::millis).max().orElse(0);
			var firstDown = health.stream().filter(h -> h[0] >= cutAt && h[2] == 503).mapToLong(h -> h[0]).min().orElse(-1);
			var healthSlowest = health.stream().mapToLong(h -> h[1]).max().orElse(0);
			System.out.printf(Locale.ROOT, """

					=== Database cut under load: %d clients for %d s, the proxy cut for %d s from 10 s ===
					answers            %d: %d tickets created (201), %d refused %s; %d retries answered a ticket an answer-less commit had made
					slowest answer     %d ms (bound %d ms + 1 s); during the cut the slowest %d ms
					health             DOWN %s after the cut; slowest health answer %d ms
					""", clients, seconds, cutSeconds, answers.size(), created.size(), refused.size(), statuses(refused), replayedAfterRefusal,
					slowest, BOUND.toMillis(),
					answers.stream().filter(a -> a.startedNanos() >= cutAt && a.startedNanos() < restoreAt)
						.mapToLong(Answer::millis).max().orElse(0),
					firstDown < 0 ? "never" : (firstDown - cutAt) / 1_000_000 + " ms", healthSlowest);

			var processedIn = System.nanoTime();
			var left = new String[1];
			try {
				Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
					left[0] = db.sql("""
							SELECT (SELECT count(*) FROM ticket WHERE merchant_id = ?::uuid) || ' tickets, '
							    || (SELECT count(*) FROM ticket WHERE merchant_id = ?::uuid AND (assignee_id IS NULL
							          OR enrichment IS NULL)) || ' not assigned or not enriched, '
							    || (SELECT count(*) FROM sla_clock c JOIN ticket t ON t.id = c.ticket_id
							          WHERE t.merchant_id = ?::uuid) || ' clocks, '
							    || (SELECT count(*) FROM jobrunr_jobs WHERE state IN ('SCHEDULED', 'ENQUEUED', 'PROCESSING')
							          AND recurringJobId IS NULL) || ' jobs left, '
							    || (SELECT count(*) FROM event_publication WHERE completion_date IS NULL)
							    || ' incomplete publications'""")
						.params(merchant.id().toString(), merchant.id().toString(), merchant.id().toString())
						.query(String.class)
						.single();
					return left[0].equals(created.size() + " tickets, 0 not assigned or not enriched, " + 2 * created.size()
							+ " clocks, 0 jobs left, 0 incomplete publications");
				});
			}
			finally {
				System.out.println("left               " + left[0] + " (for " + created.size() + " tickets answered 201)");
			}
			System.out.printf("fully processed    %.1f s after the load ended%n", (System.nanoTime() - processedIn) / 1e9);

			var subjects = db.sql("SELECT subject, count(*) FROM ticket WHERE merchant_id = ?::uuid GROUP BY subject")
				.param(merchant.id().toString())
				.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
				.list()
				.stream()
				.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			var loads = db.sql("SELECT coalesce(sum(load), 0) FROM agent WHERE merchant_id = ?::uuid")
				.param(merchant.id().toString()).query(Long.class).single();
			var assignJobs = db.sql("""
					SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED' AND jobSignature LIKE '%Assignment%'
					  AND jobAsJson LIKE ?""").param("%" + merchant.id() + "%").query(Long.class).single();
			var doubledNotifications = db.sql("""
					SELECT count(*) FROM (SELECT ticket_id, type, recipient, channel FROM notification WHERE merchant_id = ?::uuid
					  GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d""").param(merchant.id().toString()).query(Long.class).single();
			var deadLetters = db.sql("SELECT count(*) FROM job_dead_letter").query(Long.class).single();
			System.out.printf("""
					checks             %d tickets for %d subjects answered 201, %d of the once refused exist; agents' loads add up to %d; %d assign jobs succeeded; %d doubled notifications; %d dead letters
					%n""", subjects.size(), created.size(), retriedSubjects.stream().filter(subjects::containsKey).count(),
					loads, assignJobs, doubledNotifications, deadLetters);

			assertThat(refused).allSatisfy(a -> {
				assertThat(a.status()).isEqualTo(503);
				assertThat(a.contentType()).startsWith("application/problem+json");
				assertThat(a.retryAfter()).isNotBlank();
			});
			assertThat(refused).as("refused only around the cut")
				.allSatisfy(a -> assertThat(a.startedNanos()).isBetween(cutAt - BOUND.toNanos(), restoreAt + BOUND.toNanos()));
			assertThat(slowest).as("the slowest answer (ms)").isLessThanOrEqualTo(BOUND.toMillis() + 1000);
			assertThat(firstDown).as("health DOWN during the cut").isPositive();
			assertThat((firstDown - cutAt) / 1_000_000).as("ms to DOWN").isLessThanOrEqualTo(1000 + 200);
			assertThat(healthSlowest).as("the slowest health answer (ms)").isLessThanOrEqualTo(1000);
			assertThat(created).allSatisfy(subject -> assertThat(subjects.get(subject)).isEqualTo(1L));
			assertThat(sequence.get()).as("every request was answered 201 in the end").isEqualTo(created.size());
			assertThat(subjects).hasSize(created.size());
			assertThat(loads).isEqualTo(created.size());
			assertThat(assignJobs).isEqualTo(created.size());
			assertThat(doubledNotifications).isZero();
			assertThat(deadLetters).isZero();
		}
		finally {
			smtp.stop();
			TestDatabase.drop();
		}
	}

	private Answer post(HelpdeskProcess app, String key, String subject, String category) {
		var started = System.nanoTime();
		try {
			// with a context, so that each ticket is enriched too (a ticket without one is not)
			var body = JSON.writeValueAsString(Map.of("subject", subject, "priority", "MEDIUM", "categoryId", category,
					"requester", Map.of("email", "c" + Math.floorMod(subject.hashCode(), 200) + "@cut.example"),
					"context", Map.of("orderId", subject)));
			var response = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/tickets"))
				.header("Authorization", "Bearer " + key)
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", subject)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Answer(subject, started, (System.nanoTime() - started) / 1_000_000, response.statusCode(),
					response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("Retry-After").orElse(""),
					"true".equals(response.headers().firstValue("Idempotent-Replayed").orElse("")));
		}
		catch (IOException e) {
			return new Answer(subject, started, (System.nanoTime() - started) / 1_000_000, -1, e.toString(), "", false);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return new Answer(subject, started, 0, -1, "interrupted", "", false);
		}
	}

	private int status(HelpdeskProcess app, String path) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException e) {
			return -1;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static Map<Integer, Long> statuses(List<Answer> answers) {
		var counts = new TreeMap<Integer, Long>();
		answers.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
		return counts;
	}

	private static void sleepUntil(long nanos) {
		long wait;
		while ((wait = nanos - System.nanoTime()) > 0) {
			sleep(Math.max(1, wait / 1_000_000));
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
