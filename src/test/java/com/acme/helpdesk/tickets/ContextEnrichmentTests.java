package com.acme.helpdesk.tickets;

import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.support.TestWebhook;
import com.sun.net.httpserver.HttpServer;

/** The {@code enrich} job against a merchant endpoint served by a local HTTP server. */
@HelpdeskWithJobsTest
@TestPropertySource(properties = "helpdesk.enrichment.timeout=PT1S")
class ContextEnrichmentTests {

	static final String SECRET = TestWebhook.secret("enrichment-secret-0123456789");

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EnrichTicketContext enrichTicketContext;

	@Autowired
	EnrichedEvents enrichedEvents;

	HttpServer endpoint;
	final AtomicInteger failuresLeft = new AtomicInteger();
	final List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
	final AtomicInteger calls = new AtomicInteger();
	final AtomicInteger slowCalls = new AtomicInteger();
	final CountDownLatch slowAnswers = new CountDownLatch(1);
	Merchant merchant;

	@BeforeEach
	void startEndpoint() throws IOException {
		endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		endpoint.createContext("/enrich", exchange -> {
			calls.incrementAndGet();
			var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			signaturesValid.add(TestWebhook.verifies(SECRET, body, Map.copyOf(exchange.getRequestHeaders())));
			var fail = failuresLeft.getAndDecrement() > 0;
			var answer = (fail ? "{\"error\":\"down\"}" : "{\"tier\":\"gold\",\"lifetimeValue\":1200}").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(fail ? 503 : 200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		// answers only when the test ends (or after 10 s): far beyond the 1 s timeout
		endpoint.createContext("/slow", exchange -> {
			slowCalls.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			try {
				slowAnswers.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			var answer = "{\"tier\":\"late\"}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		endpoint.setExecutor(Executors.newCachedThreadPool());
		endpoint.start();
		merchant = api.newMerchant();
		var settings = api.put("/api/v1/settings", merchant.adminKey(), Map.of("enrichmentUrl",
				"http://127.0.0.1:" + endpoint.getAddress().getPort() + "/enrich", "webhookSecret", SECRET));
		assertThat(settings.status()).as("%s", settings.body()).isEqualTo(200);
		assertThat(settings.body().has("webhookSecret")).isFalse();
	}

	@AfterEach
	void stopEndpoint() {
		slowAnswers.countDown();
		endpoint.stop(0);
	}

	/**
	 * No enrichment shares a transaction, not even one from the database alone: in a shared one, the ticket rows
	 * enriched first stayed locked until the batch was done, and those tickets' assignments waited for them.
	 */
	@Test
	void anEnrichmentFromTheDatabaseAloneCommitsOnItsOwn() {
		var withoutEndpoint = api.newMerchant();
		assertThat(enrichTicketContext.sharedTransactionKey(new ContextEnrichmentJob(withoutEndpoint.id(), UUID.randomUUID())))
			.isEmpty();
	}

	@Test
	void enrichesTicketsCreatedWithContextWithHistoryAndTheSignedEndpointsAnswer() {
		var earlier = createTicket(null);
		var ticket = createTicket(Map.of("orderId", "A-1"));

		await().atMost(Duration.ofSeconds(10)).until(() -> !enrichment(ticket).isNull());
		var enrichment = enrichment(ticket);
		assertThat(enrichment.get("endpoint").get("tier").asText()).isEqualTo("gold");
		assertThat(enrichment.get("requesterHistory").get("earlierTickets").asInt()).isEqualTo(1);
		assertThat(enrichment.get("requesterHistory").get("openTickets").asInt()).isEqualTo(1);
		assertThat(enrichment.get("requesterHistory").has("lastSatisfactionRating")).isTrue();
		assertThat(enrichment.get("requesterHistory").get("lastSatisfactionRating").isNull()).isTrue();
		assertThat(signaturesValid).containsOnly(true);
		assertThat(enrichment(earlier).isNull()).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> contextEnrichedEvents(ticket) == 1);
	}

	@Test
	void theHistoryCarriesTheRequestersLastSatisfactionRating() {
		var first = createTicket(null);
		var second = createTicket(null);
		var otherRequesters = createTicket(null, "bob@example.com");
		rate(first, 2);
		rate(second, 5);
		rate(otherRequesters, 1);

		var ticket = createTicket(Map.of("orderId", "C-3"));

		await().atMost(Duration.ofSeconds(10)).until(() -> !enrichment(ticket).isNull());
		var rating = enrichment(ticket).get("requesterHistory").get("lastSatisfactionRating");
		assertThat(rating.get("rating").asInt()).isEqualTo(5);
		assertThat(rating.get("ticketId").asText()).isEqualTo(second.toString());
		assertThat(rating.get("answeredAt").asText()).isNotBlank();
	}

	@Test
	void runningTheJobTwiceEnrichesOnce() throws Exception {
		var ticket = createTicket(null);
		var run = new JobRun(UUID.randomUUID(), "job:" + UUID.randomUUID(), JobQueue.CONTEXT_ENRICHMENT, "enrich", 1);

		enrichTicketContext.run(new ContextEnrichmentJob(merchant.id(), ticket), run);
		var version = api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("version").asLong();
		enrichTicketContext.run(new ContextEnrichmentJob(merchant.id(), ticket), run);

		assertThat(api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("version").asLong()).isEqualTo(version);
		assertThat(enrichment(ticket).get("endpoint").get("tier").asText()).isEqualTo("gold");
		assertThat(contextEnrichedEvents(ticket)).isEqualTo(1);
	}

	/** Both cases in one test, so their retries run side by side. */
	@Test
	void aFailingOrSlowEndpointIsRetriedThenDeadLetteredWhileTheTicketStaysUsable() {
		failuresLeft.set(1_000);
		var failing = createTicket(Map.of("orderId", "B-2"));
		var slowMerchant = api.newMerchant();
		assertThat(api.put("/api/v1/settings", slowMerchant.adminKey(), Map.of("enrichmentUrl",
				"http://127.0.0.1:" + endpoint.getAddress().getPort() + "/slow", "webhookSecret", SECRET)).status())
			.isEqualTo(200);
		var slow = createTicket(slowMerchant, Map.of("orderId", "D-4"), "ann@example.com");

		for (var ticket : Map.of(failing, merchant, slow, slowMerchant).entrySet()) {
			assertThat(api.post("/api/v1/tickets/" + ticket.getKey() + "/status", ticket.getValue().adminKey(),
					Map.of("status", "IN_PROGRESS")).status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(failing) == 1 && deadLetters(slow) == 1);
		assertThat(calls.get()).isEqualTo(4);
		assertThat(slowCalls.get()).isEqualTo(4);
		assertThat(deadLetterErrors(slow)).containsIgnoringCase("timed out");
		for (var ticket : Map.of(failing, merchant, slow, slowMerchant).entrySet()) {
			var key = ticket.getValue().adminKey();
			assertThat(api.get("/api/v1/tickets/" + ticket.getKey(), key).body().get("enrichment").isNull()).isTrue();
			assertThat(contextEnrichedEvents(ticket.getKey())).isZero();
			assertThat(api.post("/api/v1/tickets/" + ticket.getKey() + "/messages", key,
					Map.of("body", "still works", "authorType", "AGENT")).status()).isEqualTo(201);
		}
	}

	/** {@code TicketContextEnriched} events about the ticket whose transaction committed. */
	private long contextEnrichedEvents(UUID ticket) {
		return enrichedEvents.committed.getOrDefault(ticket, new AtomicInteger()).get();
	}

	/** Records the committed {@code TicketContextEnriched} events (they have no publication to count). */
	@TestConfiguration
	static class EnrichedEvents {

		final Map<UUID, AtomicInteger> committed = new ConcurrentHashMap<>();

		@EventListener
		void on(TicketContextEnriched event) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					committed.computeIfAbsent(event.ticketId(), id -> new AtomicInteger()).incrementAndGet();
				}
			});
		}
	}

	private String deadLetterErrors(UUID ticket) {
		var errors = new StringBuilder();
		for (var item : api.get("/ops/v1/dead-letters?queue=helpdesk.context-enrichment", TestApi.OPS_TOKEN).body().get("items")) {
			if (item.toString().contains(ticket.toString())) {
				errors.append(item.path("error").asText());
			}
		}
		return errors.toString();
	}

	/** Resolves the ticket and answers its survey with the rating. */
	private void rate(UUID ticket, int rating) {
		assertThat(api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(), Map.of("status", "RESOLVED"))
			.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> api.get("/api/v1/tickets/" + ticket + "/survey", merchant.adminKey()).status() == 200);
		var token = api.get("/api/v1/tickets/" + ticket + "/survey", merchant.adminKey()).body().get("token").asText();
		assertThat(api.post("/public/v1/surveys/" + token + "/response", null, Map.of("rating", rating)).status())
			.isEqualTo(201);
	}

	private long deadLetters(UUID ticket) {
		var items = api.get("/ops/v1/dead-letters?queue=helpdesk.context-enrichment", TestApi.OPS_TOKEN).body().get("items");
		var count = 0;
		for (var item : items) {
			if (item.toString().contains(ticket.toString())) {
				count++;
			}
		}
		return count;
	}

	private UUID createTicket(Map<String, ?> context) {
		return createTicket(context, "ann@example.com");
	}

	private UUID createTicket(Map<String, ?> context, String requester) {
		return createTicket(merchant, context, requester);
	}

	private UUID createTicket(Merchant merchant, Map<String, ?> context, String requester) {
		var body = new java.util.HashMap<String, Object>(Map.of("subject", "Where is my order",
				"requester", Map.of("email", requester)));
		if (context != null) {
			body.put("context", context);
		}
		return UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), body).body().get("id").asText());
	}

	private com.fasterxml.jackson.databind.JsonNode enrichment(UUID ticket) {
		return api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("enrichment");
	}
}
