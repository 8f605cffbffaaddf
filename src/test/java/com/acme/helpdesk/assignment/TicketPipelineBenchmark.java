package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Creates tickets over HTTP and prints how long until every one is assigned, enriched and has running SLA
 * clocks (tickets fully processed per second). Not part of the suite; run with
 * {@code ./mvnw -B test -Dtest=TicketPipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbench.tickets=5000
 * -Dbench.clients=16}); warm-up rounds of {@code -Dbench.warmup=1500} tickets for other merchants go first, up to
 * {@code -Dbench.warmup-rounds} of them (default 1), until the JIT compilers take less than a tenth of the JVM's CPU in
 * one: a few minutes here, with one C2 compiler thread on 2 cores. {@link TicketLoadBenchmark} runs issue 15's fuller
 * workload (3 categories, 10 agents, tags, mail, a STOMP subscriber; closed or paced) against the service in a JVM of its
 * own.
 */
@HelpdeskWithJobsTest
class TicketPipelineBenchmark {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	/** Warm-up rounds (up to {@code -Dbench.warmup-rounds}) end once the JIT compilers take less of the JVM. */
	static final double JIT_SETTLED = 0.10;

	@Test
	void ticketsFullyProcessedPerSecond() throws Exception {
		var warmup = Integer.getInteger("bench.warmup", 1500);
		var tickets = Integer.getInteger("bench.tickets", 5000);
		var clients = Integer.getInteger("bench.clients", 16);
		var maxWarmupRounds = Integer.getInteger("bench.warmup-rounds", 1);
		for (int i = 1; warmup > 0 && i <= maxWarmupRounds; i++) {
			var round = round(warmup, clients);
			System.out.printf("%nwarm-up round %d: %d tickets, %.0f fully processed per second (not counted); %s%n", i,
					warmup, warmup / round.processedAfter(), round.cpu().jit());
			settle();
			if (round.cpu().compilerShare() < JIT_SETTLED) {
				break;
			}
		}
		var round = round(tickets, clients);
		System.out.printf("""

				=== Ticket pipeline benchmark ===
				tickets            %d over HTTP from %d clients (%d failures), after warm-up rounds of %d
				created in         %.1f s (%.0f tickets/s)
				fully processed in %.1f s: assigned, enriched, clocks running
				throughput         %.0f tickets fully processed per second
				CPU per ticket     %s (service, load generator, SMTP server; with the notifications still under way)
				busiest threads    %s
				JIT                %s
				load average       %s
				PostgreSQL         autovacuum %s (it keeps the job and outbox tables' indexes free of dead rows)
				CPU reference      SHA-256 of 256 MB on one thread: %.0f ms before, %.0f ms after (this VM's speed varies with its host)
				%n""", tickets, clients, round.failures(), warmup, round.createdAfter(), tickets / round.createdAfter(),
				round.processedAfter(), tickets / round.processedAfter(), round.cpu().per(tickets),
				round.cpu().busiestThreads(8), round.cpu().jit(), CpuUsage.loadAverage(),
				jdbc.sql("SHOW autovacuum").query(String.class).single(), round.referenceBefore(),
				round.referenceAfter());
		assertThat(round.failures()).isZero();
	}

	record Round(int failures, double createdAfter, double processedAfter, CpuUsage cpu, double referenceBefore,
			double referenceAfter) {
	}

	/** A new merchant with 5 online agents in one load-balanced category; {@code tickets} created and processed. */
	private Round round(int tickets, int clients) throws InterruptedException {
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Bench", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();
		for (int i = 0; i < 5; i++) {
			api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "agent" + i, "email", "agent" + i + "@example.com",
					"capacity", tickets, "availability", "ONLINE", "categoryIds", List.of(category)));
		}
		api.put("/api/v1/sla-policies/HIGH", merchant.adminKey(), Map.of("firstResponse", "PT1H", "resolution", "PT8H"));

		var http = HttpClient.newHttpClient();
		var next = new AtomicInteger();
		var failures = new AtomicInteger();
		var done = new CountDownLatch(clients);
		var referenceBefore = CpuUsage.referenceMillis();
		var cpuBefore = CpuUsage.now();
		var started = System.nanoTime();
		for (int c = 0; c < clients; c++) {
			new Thread(() -> {
				int i;
				while ((i = next.getAndIncrement()) < tickets) {
					var body = """
							{"subject":"Order %d","requester":{"email":"c%d@example.com"},"categoryId":"%s",
							 "priority":"HIGH","context":{"orderId":%d}}""".formatted(i, i % 500, category, i);
					try {
						var response = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/tickets"))
							.header("Authorization", "Bearer " + merchant.adminKey())
							.header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers.ofString(body))
							.build(), HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() != 201) {
							failures.incrementAndGet();
						}
					}
					catch (Exception e) {
						failures.incrementAndGet();
					}
				}
				done.countDown();
			}).start();
		}
		done.await();
		var createdAfter = (System.nanoTime() - started) / 1e9;
		Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> processed(merchant.id(), tickets) == tickets);
		var processedAfter = (System.nanoTime() - started) / 1e9;
		var cpu = CpuUsage.now().since(cpuBefore);
		var referenceAfter = CpuUsage.referenceMillis();
		return new Round(failures.get(), createdAfter, processedAfter, cpu, referenceBefore, referenceAfter);
	}

	/** Waits for the warm-up's notifications and other jobs and listeners to finish. */
	private void settle() {
		Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc.sql("""
				SELECT (SELECT count(*) FROM jobrunr_jobs
				        WHERE state IN ('ENQUEUED', 'PROCESSING', 'SCHEDULED') AND recurringJobId IS NULL)
				     + (SELECT count(*) FROM event_publication WHERE completion_date IS NULL)""")
			.query(Long.class)
			.single() == 0);
	}

	/**
	 * The merchant's tickets assigned and enriched, or, once all are, those with both clocks running. Counting the
	 * clocks of every ticket at each poll cost PostgreSQL 17 ms a poll, a tenth of a core at 5 polls a second.
	 */
	private long processed(UUID merchantId, int tickets) {
		var assignedAndEnriched = jdbc.sql("""
				SELECT count(*) FROM ticket WHERE merchant_id = ? AND assignee_id IS NOT NULL AND enrichment IS NOT NULL""")
			.param(merchantId)
			.query(Long.class)
			.single();
		if (assignedAndEnriched < tickets) {
			return assignedAndEnriched;
		}
		return jdbc.sql("""
				SELECT count(*) FROM ticket t
				WHERE t.merchant_id = ?
				  AND (SELECT count(*) FROM sla_clock c WHERE c.ticket_id = t.id AND c.state = 'RUNNING') = 2""")
			.param(merchantId)
			.query(Long.class)
			.single();
	}
}
