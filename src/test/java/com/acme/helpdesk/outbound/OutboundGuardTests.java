package com.acme.helpdesk.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.sun.net.httpserver.HttpServer;

/**
 * With nothing allowed ({@code helpdesk.outbound.allow} empty), a merchant can neither save a URL that names an
 * address inside nor reach one through a name that resolves there.
 */
@HelpdeskWithJobsTest
@TestPropertySource(properties = "helpdesk.outbound.allow=")
class OutboundGuardTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	HttpServer listener;
	final AtomicInteger requests = new AtomicInteger();
	Merchant merchant;

	@BeforeEach
	void startListener() throws IOException {
		listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		listener.createContext("/", exchange -> {
			requests.incrementAndGet();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		listener.start();
		merchant = api.newMerchant();
	}

	@AfterEach
	void stopListener() {
		listener.stop(0);
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// loopback, in every spelling
			"http://127.0.0.1/", "http://127.0.0.1:8080/hook", "http://127.1/", "http://127.000.000.001/",
			"http://2130706433/", "http://0x7f000001/", "http://0x7f.1/", "http://0x7f.0.0.1/", "http://017700000001/",
			"http://0177.0.0.1/", "http://127.0.0.1./", "http://127.255.255.254/", "http://[::1]/",
			"http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
			"http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
			"http://[2002:7f00:1::]/", "http://localhost/", "http://LOCALHOST:8080/", "http://api.localhost/",
			"http://localhost./",
			// unspecified
			"http://0.0.0.0/", "http://0/", "http://[::]/", "http://0.0.0.0:8080/",
			// private (RFC 1918)
			"http://10.0.0.1/", "http://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.254/",
			"http://192.168.0.1/", "https://192.168.1.1:8443/x", "http://0xa000001/", "http://012.0.0.1/",
			"http://[::ffff:10.0.0.1]/", "http://[::ffff:192.168.1.1]/", "http://[::ffff:c0a8:101]/",
			// link-local, cloud metadata
			"http://169.254.169.254/latest/meta-data/", "http://169.254.0.1/", "http://[::ffff:169.254.169.254]/",
			"http://0xa9fea9fe/", "http://2852039166/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/",
			// carrier-grade NAT
			"http://100.64.0.1/", "http://100.127.255.254/",
			// multicast, broadcast, reserved
			"http://224.0.0.1/", "http://239.255.255.250/", "http://255.255.255.255/", "http://0xffffffff/",
			"http://240.0.0.1/", "http://[ff02::1]/", "http://198.18.0.1/",
			// IPv6 unique-local and site-local
			"http://[fc00::1]/", "http://[fd12:3456:789a::1]/", "http://[fec0::1]/",
			// not http(s), user info, no host, malformed
			"ftp://example.com/hook", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
			"dict://example.com:11211/", "https://user:pass@example.com/hook", "https://user@example.com/hook",
			"http://example.com@127.0.0.1/", "http:///hook", "http://[::1/", "not a url", "http://1.2.3.4.5/",
			"http://256.1.1.1/" })
	void refusesAtSaveEveryUrlThatNamesAnAddressInsideOrIsNoPlainHttpUrl(String url) {
		for (var field : List.of("webhookUrl", "enrichmentUrl")) {
			var response = api.put("/api/v1/settings", merchant.adminKey(), Map.of(field, url));
			assertThat(response.status()).as("%s = %s: %s", field, url, response.body()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
			assertThat(response.body().get("errors").findValuesAsText("field")).as(url).containsExactly(field);
		}
		var stored = api.get("/api/v1/settings", merchant.adminKey()).body();
		assertThat(stored.get("webhookUrl").isNull()).isTrue();
		assertThat(stored.get("enrichmentUrl").isNull()).isTrue();
		assertThat(stored.get("webhookSecretSet").asBoolean()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://example.com/hook", "http://hooks.example.org:8080/x?y=1", "http://8.8.8.8/",
			"http://[2606:4700:4700::1111]/", "https://[::ffff:8.8.8.8]/" })
	void acceptsPublicUrls(String url) {
		var response = api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", url));
		assertThat(response.status()).as("%s: %s", url, response.body()).isEqualTo(200);
	}

	/** The name passed at save time (as a public name would) and resolves to loopback when called. */
	@Test
	void aWebhookToANameThatResolvesToLoopbackIsRefusedAtCallTimeAndNeverRetried() {
		pointAtListenerThroughLocalhost("webhook_url");
		var ticket = ticket(null);
		assertThat(api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(), Map.of("status", "IN_PROGRESS"))
			.status()).isEqualTo(200);

		var deadLetter = awaitDeadLetter("helpdesk.notification", ticketNotification(ticket));
		assertThat(deadLetter.get("error")).asString().contains("Refused to call").contains("a loopback address");
		assertThat(deadLetter.get("attempts")).isEqualTo(1);
		assertThat(jdbc.sql("SELECT state FROM notification WHERE ticket_id = ? AND channel = 'WEBHOOK'")
			.param(ticket)
			.query(String.class)
			.single()).isEqualTo("FAILED");
		assertThat(requests.get()).isZero();
	}

	@Test
	void anEnrichmentEndpointThatResolvesToLoopbackIsRefusedAtCallTimeAndNeverRetried() {
		pointAtListenerThroughLocalhost("enrichment_url");
		var ticket = ticket(Map.of("orderId", "A-1"));

		var deadLetter = awaitDeadLetter("helpdesk.context-enrichment", ticket.toString());
		assertThat(deadLetter.get("error")).asString().contains("Refused to call").contains("a loopback address");
		assertThat(deadLetter.get("attempts")).isEqualTo(1);
		assertThat(api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("enrichment").isNull()).isTrue();
		assertThat(requests.get()).isZero();
	}

	/** Saves a public URL, then changes the stored row to {@code localhost} on the listener's port. */
	private void pointAtListenerThroughLocalhost(String column) {
		var field = column.equals("webhook_url") ? "webhookUrl" : "enrichmentUrl";
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of(field, "https://example.com/x")).status())
			.isEqualTo(200);
		jdbc.sql("UPDATE merchant_settings SET " + column + " = ? WHERE merchant_id = ?")
			.params("http://localhost:" + listener.getAddress().getPort() + "/x", merchant.id())
			.update();
	}

	private String ticketNotification(UUID ticket) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> jdbc.sql("SELECT id::text FROM notification WHERE ticket_id = ? AND channel = 'WEBHOOK'")
				.param(ticket)
				.query(String.class)
				.optional(), java.util.Optional::isPresent)
			.orElseThrow();
	}

	private Map<String, Object> awaitDeadLetter(String queue, String argument) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.sql("SELECT error, attempts FROM job_dead_letter WHERE queue = ? AND arguments::text LIKE ?")
				.params(queue, "%" + argument + "%")
				.query()
				.listOfRows(), rows -> rows.size() == 1)
			.get(0);
	}

	private UUID ticket(Map<String, ?> context) {
		var body = new java.util.HashMap<String, Object>(Map.of("subject", "Where is my order", "requester",
				Map.of("email", "ann@example.com")));
		if (context != null) {
			body.put("context", context);
		}
		return UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), body).body().get("id").asText());
	}
}
