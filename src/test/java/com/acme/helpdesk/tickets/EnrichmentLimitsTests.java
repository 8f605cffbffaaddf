package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What the enrichment endpoint may answer: a JSON object of at most 64 KiB, completely within the deadline. The job
 * is run directly, on tickets without context (which get no job of their own).
 */
@HelpdeskWithJobsTest
@TestPropertySource(properties = "helpdesk.enrichment.timeout=PT2S")
class EnrichmentLimitsTests {

	static final int LIMIT = 64 * 1024;

	@Autowired
	TestApi api;

	@Autowired
	EnrichTicketContext enrichTicketContext;

	HttpServer endpoint;
	final AtomicInteger dripped = new AtomicInteger();
	Merchant merchant;

	@BeforeEach
	void startEndpoint() throws IOException {
		endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		endpoint.createContext("/fits", exchange -> answer(exchange, objectOfSize(LIMIT)));
		endpoint.createContext("/too-big", exchange -> answer(exchange, objectOfSize(LIMIT + 1)));
		endpoint.createContext("/array", exchange -> answer(exchange, "[{\"tier\":\"gold\"}]"));
		// the headers at once, then one byte of a 300-byte object every 100 ms: 30 s for the whole answer
		endpoint.createContext("/drip", exchange -> {
			exchange.getRequestBody().readAllBytes();
			var body = objectOfSize(300).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (var out = exchange.getResponseBody()) {
				for (var b : body) {
					out.write(b);
					out.flush();
					dripped.incrementAndGet();
					Thread.sleep(100);
				}
			}
			catch (IOException | InterruptedException e) {
				// the client hung up
			}
			exchange.close();
		});
		endpoint.setExecutor(Executors.newCachedThreadPool());
		endpoint.start();
		merchant = api.newMerchant();
	}

	@AfterEach
	void stopEndpoint() {
		endpoint.stop(0);
	}

	@Test
	void anAnswerOf64KiBIsStored() throws Exception {
		var ticket = ticketEnrichedFrom("/fits");

		enrichTicketContext.run(job(ticket), run());

		assertThat(enrichment(ticket).get("endpoint").get("pad").asText()).hasSizeGreaterThan(LIMIT - 20);
	}

	@Test
	void anAnswerOfMoreThan64KiBFailsTheAttemptAndNothingIsStored() {
		var ticket = ticketEnrichedFrom("/too-big");

		assertThatThrownBy(() -> enrichTicketContext.run(job(ticket), run()))
			.hasMessageContaining("answered more than 65536 bytes");
		assertThat(enrichment(ticket).isNull()).isTrue();
	}

	@Test
	void anAnswerThatIsNoJsonObjectFailsTheAttempt() {
		var ticket = ticketEnrichedFrom("/array");

		assertThatThrownBy(() -> enrichTicketContext.run(job(ticket), run())).hasMessageContaining("no JSON object");
		assertThat(enrichment(ticket).isNull()).isTrue();
	}

	/** Each byte comes well within the read time-out; only the deadline of the whole exchange ends the call. */
	@Test
	void anAnswerSentByteByByteIsCutAtTheDeadline() {
		var ticket = ticketEnrichedFrom("/drip");

		assertTimeoutPreemptively(Duration.ofSeconds(25), () -> assertThatThrownBy(
				() -> enrichTicketContext.run(job(ticket), run()))
			.hasMessageContaining("timed out: no complete answer within PT2S"));
		assertThat(dripped.get()).isBetween(1, 299);
		assertThat(enrichment(ticket).isNull()).isTrue();
	}

	private UUID ticketEnrichedFrom(String path) {
		var url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + path;
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("enrichmentUrl", url)).status()).isEqualTo(200);
		return UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Where is my order",
				"requester", Map.of("email", "ann@example.com"))).body().get("id").asText());
	}

	private ContextEnrichmentJob job(UUID ticket) {
		return new ContextEnrichmentJob(merchant.id(), ticket);
	}

	private static JobRun run() {
		return new JobRun(UUID.randomUUID(), "job:" + UUID.randomUUID(), JobQueue.CONTEXT_ENRICHMENT, "enrich", 1);
	}

	private JsonNode enrichment(UUID ticket) {
		return api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("enrichment");
	}

	/** {@code {"pad":"xxx..."}} of exactly {@code size} bytes. */
	private static String objectOfSize(int size) {
		return "{\"pad\":\"" + "x".repeat(size - 10) + "\"}";
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		exchange.getRequestBody().readAllBytes();
		var body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}
}
