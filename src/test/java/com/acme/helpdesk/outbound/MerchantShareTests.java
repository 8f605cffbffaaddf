package com.acme.helpdesk.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
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

import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.sun.net.httpserver.HttpServer;

/**
 * Six enrichment and six notification workers, so a merchant holds at most two of each (a third) at once: a merchant
 * whose endpoint hangs keeps two of them, another merchant's tickets are enriched meanwhile, and the merchant's other
 * calls wait without failing.
 */
@HelpdeskWithJobsTest
@TestPropertySource(properties = { "helpdesk.enrichment.timeout=PT60S", "helpdesk.notifications.webhook-timeout=PT60S",
		"helpdesk.queues.context-enrichment.concurrency=6", "helpdesk.queues.notification.concurrency=6",
		"helpdesk.outbound.postpone-delay=PT1S" })
class MerchantShareTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	HttpServer endpoint;
	final CountDownLatch release = new CountDownLatch(1);
	final AtomicInteger hanging = new AtomicInteger();
	final AtomicInteger mostHanging = new AtomicInteger();
	final AtomicInteger hangingCalls = new AtomicInteger();

	@BeforeEach
	void startEndpoint() throws IOException {
		endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		endpoint.createContext("/hang", exchange -> {
			exchange.getRequestBody().readAllBytes();
			hangingCalls.incrementAndGet();
			mostHanging.accumulateAndGet(hanging.incrementAndGet(), Math::max);
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			hanging.decrementAndGet();
			answer(exchange, "{\"tier\":\"late\"}");
		});
		endpoint.createContext("/fast", exchange -> {
			exchange.getRequestBody().readAllBytes();
			answer(exchange, "{\"tier\":\"gold\"}");
		});
		endpoint.setExecutor(Executors.newCachedThreadPool());
		endpoint.start();
	}

	@AfterEach
	void stopEndpoint() {
		release.countDown();
		endpoint.stop(0);
	}

	@Test
	void oneMerchantsHangingEndpointLeavesAnotherMerchantsEnrichmentOnTime() {
		var slow = merchantCalling("/hang");
		var slowTickets = new ArrayList<UUID>();
		for (int i = 0; i < 10; i++) {
			slowTickets.add(ticket(slow, "S-" + i));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> hanging.get() >= 2);

		var other = merchantCalling("/fast");
		var ticket = ticket(other, "F-1");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> !api.get("/api/v1/tickets/" + ticket, other.adminKey()).body().get("enrichment").isNull());
		assertThat(api.get("/api/v1/tickets/" + ticket, other.adminKey()).body().get("enrichment").get("endpoint")
			.get("tier").asText()).isEqualTo("gold");
		assertThat(hanging.get()).isEqualTo(2);
		assertThat(mostHanging.get()).isEqualTo(2);
		assertThat(hangingCalls.get()).isEqualTo(2);
		for (var slowTicket : slowTickets) {
			assertThat(api.get("/api/v1/tickets/" + slowTicket, slow.adminKey()).body().get("enrichment").isNull()).isTrue();
		}

		// the waiting jobs were postponed, not failed: once the endpoint answers, every ticket is enriched
		release.countDown();
		await().atMost(Duration.ofSeconds(90)).until(() -> slowTickets.stream()
			.allMatch(id -> !api.get("/api/v1/tickets/" + id, slow.adminKey()).body().get("enrichment").isNull()));
		assertThat(hangingCalls.get()).isEqualTo(10);
		assertThat(mostHanging.get()).isEqualTo(2);
	}

	@Test
	void aMerchantsWebhooksHoldItsShareOfWorkersAndTheOthersWaitWithoutFailing() {
		var merchant = api.newMerchant();
		var url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hang";
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", url)).status()).isEqualTo(200);
		var tickets = new ArrayList<UUID>();
		for (int i = 0; i < 6; i++) {
			var ticket = UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Order " + i,
					"requester", Map.of("email", "ann@example.com"))).body().get("id").asText());
			assertThat(api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(),
					Map.of("status", "IN_PROGRESS")).status()).isEqualTo(200);
			tickets.add(ticket);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(merchant, "PENDING") == 6 && hanging.get() == 2);

		release.countDown();
		await().atMost(Duration.ofSeconds(90)).until(() -> webhooks(merchant, "SENT") == 6);
		assertThat(hangingCalls.get()).isEqualTo(6);
		assertThat(mostHanging.get()).isEqualTo(2);
		assertThat(jdbc.sql("SELECT count(*) FROM job_dead_letter WHERE arguments::text LIKE ?")
			.param("%" + merchant.id() + "%")
			.query(Long.class)
			.single()).isZero();
	}

	private long webhooks(Merchant merchant, String state) {
		return jdbc.sql("SELECT count(*) FROM notification WHERE merchant_id = ? AND channel = 'WEBHOOK' AND state = ?")
			.params(merchant.id(), state)
			.query(Long.class)
			.single();
	}

	private Merchant merchantCalling(String path) {
		var merchant = api.newMerchant();
		var url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + path;
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("enrichmentUrl", url)).status()).isEqualTo(200);
		return merchant;
	}

	private UUID ticket(Merchant merchant, String orderId) {
		return UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Where is my order",
				"requester", Map.of("email", "ann@example.com"), "context", Map.of("orderId", orderId)))
			.body()
			.get("id")
			.asText());
	}

	private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
		var body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}
}
