package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.RawHttp;
import com.acme.helpdesk.support.TestApi;

/**
 * The abuse limits of issue 16: the per-merchant rate limit, the failed-authentication throttle (from another
 * loopback address, 127.0.0.2, so no other test's client is throttled), body size and JSON shape limits. A window
 * of seconds lets the limits reset within a bounded wait.
 */
@HelpdeskTest
@TestPropertySource(properties = { "helpdesk.failed-authentication.failures=5",
		"helpdesk.failed-authentication.window=PT3S" })
@ExtendWith(OutputCaptureExtension.class)
@Import(AbuseLimitsTests.FailingController.class)
class AbuseLimitsTests {

	/** An endpoint with a bug, to see what a 500 looks like. */
	@RestController
	static class FailingController {

		@GetMapping("/test/failure")
		String fail() {
			throw new IllegalStateException("internal detail that must not leak");
		}
	}

	private static final String OTHER_CLIENT = "127.0.0.2";

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void merchantOverItsRateLimitGets429WithRetryAfterAndRateLimitHeadersUntilTheWindowRefills() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();
		var path = "/ops/v1/merchants/" + merchant.id() + "/rate-limit";
		var set = api.put(path, TestApi.OPS_TOKEN, Map.of("requests", 2, "period", "PT10S"));
		assertThat(set.status()).isEqualTo(200);
		assertThat(set.body().get("usesDefault").asBoolean()).isFalse();

		var first = api.get("/api/v1/tickets", merchant.adminKey());
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("RateLimit-Policy")).isEqualTo("\"merchant\";q=2;w=10");
		assertThat(first.header("RateLimit")).startsWith("\"merchant\";r=1;t=");
		assertThat(api.get("/api/v1/tickets", merchant.adminKey()).status()).isEqualTo(200);

		var refused = api.get("/api/v1/tickets", merchant.adminKey());
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.body().get("status").asInt()).isEqualTo(429);
		var retryAfter = Long.parseLong(refused.header("Retry-After"));
		assertThat(retryAfter).isBetween(1L, 5L);
		assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"merchant\";q=2;w=10");
		assertThat(refused.header("RateLimit")).isEqualTo("\"merchant\";r=0;t=" + retryAfter);
		var before = jdbc.sql("SELECT count(*) FROM ticket").query(Long.class).single();
		assertThat(api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "s", "requester", Map.of("email", "a@example.com"))).status()).isEqualTo(429);
		assertThat(jdbc.sql("SELECT count(*) FROM ticket").query(Long.class).single()).isEqualTo(before);

		assertThat(api.get("/api/v1/tickets", other.adminKey()).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> api.get("/api/v1/tickets", merchant.adminKey()).status() == 200);

		assertThat(api.delete(path, TestApi.OPS_TOKEN).status()).isEqualTo(204);
		var reset = api.get(path, TestApi.OPS_TOKEN);
		assertThat(reset.body().get("usesDefault").asBoolean()).isTrue();
		assertThat(reset.body().get("requests").asLong()).isEqualTo(100_000);
		assertThat(api.get("/api/v1/tickets", merchant.adminKey()).header("RateLimit-Policy"))
			.isEqualTo("\"merchant\";q=100000;w=60");
	}

	@Test
	void rateLimitOfTheOperationsApiRefusesBadValuesAndUnknownMerchants() {
		var merchant = api.newMerchant();
		var path = "/ops/v1/merchants/" + merchant.id() + "/rate-limit";
		assertField(api.put(path, TestApi.OPS_TOKEN, Map.of("requests", 0, "period", "PT1M")), "requests");
		assertField(api.put(path, TestApi.OPS_TOKEN, Map.of("requests", 10, "period", "PT0S")), "period");
		assertField(api.put(path, TestApi.OPS_TOKEN, Map.of("requests", 10, "period", "P9999999D")), "period");
		assertField(api.put(path, TestApi.OPS_TOKEN, Map.of("requests", 10)), "period");
		assertThat(api.put("/ops/v1/merchants/" + java.util.UUID.randomUUID() + "/rate-limit", TestApi.OPS_TOKEN,
				Map.of("requests", 10, "period", "PT1M")).status()).isEqualTo(404);
		assertThat(api.put(path, merchant.adminKey(), Map.of("requests", 10, "period", "PT1M")).status()).isEqualTo(401);
	}

	@Test
	void wrongKeysFromOneAddressAreThrottledWith429AndAWarningThenTheWindowResets(CapturedOutput output) {
		var merchant = api.newMerchant();
		for (int i = 0; i < 3; i++) {
			assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", "hd_wrong-" + i).status()).isEqualTo(401);
		}
		assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/ops/v1/dead-letters", "wrong-ops-token").status())
			.isEqualTo(401);
		assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", merchant.adminKey()).status())
			.isEqualTo(200);
		assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", "hd_wrong-last").status()).isEqualTo(401);

		var throttled = RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", "hd_wrong-again");
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.header("Content-Type")).startsWith("application/problem+json");
		assertThat(throttled.body()).contains("\"status\":429");
		var retryAfter = Long.parseLong(throttled.header("Retry-After"));
		assertThat(retryAfter).isBetween(1L, 3L);
		assertThat(throttled.header("RateLimit-Policy")).isEqualTo("\"failed-authentication\";q=5;w=3");
		assertThat(throttled.header("RateLimit")).isEqualTo("\"failed-authentication\";r=0;t=" + retryAfter);
		// while throttled, even the right key from that address waits; another address is not concerned
		assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", merchant.adminKey()).status())
			.isEqualTo(429);
		assertThat(RawHttp.get(OTHER_CLIENT, api.port(), "/ops/v1/dead-letters", TestApi.OPS_TOKEN).status())
			.isEqualTo(429);
		assertThat(api.get("/api/v1/tickets", merchant.adminKey()).status()).isEqualTo(200);
		assertThat(output.getAll()).contains("Failed authentication throttled: client address 127.0.0.2");
		assertThat(api.getText("/actuator/prometheus")).contains("helpdesk_auth_throttled_total");

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> RawHttp.get(OTHER_CLIENT, api.port(), "/api/v1/tickets", merchant.adminKey()).status() == 200);
	}

	@Test
	void bodyOverOneMebibyteAnswers413BeforeItIsReadWithOrWithoutALength() {
		var merchant = api.newMerchant();
		var before = jdbc.sql("SELECT count(*) FROM ticket").query(Long.class).single();
		// 1.5 MB in strings and arrays each within the JSON limits, so only the size refuses it
		var items = String.join(",", java.util.Collections.nCopies(1000, "\"" + "x".repeat(1500) + "\""));
		var big = ("{\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\"},\"metadata\":{\"items\":["
				+ items + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(big.length).isGreaterThan(1_500_000);
		var head = "POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + merchant.adminKey()
				+ "\r\nContent-Type: application/json";

		var declared = RawHttp.send("127.0.0.1", api.port(), head + "\r\nContent-Length: " + big.length, big);
		assertThat(declared.status()).isEqualTo(413);
		assertThat(declared.header("Content-Type")).startsWith("application/problem+json");
		assertThat(declared.body()).contains("\"status\":413");

		var chunked = RawHttp.send("127.0.0.1", api.port(), head + "\r\nTransfer-Encoding: chunked",
				RawHttp.chunked(big, 8192));
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.header("Content-Type")).startsWith("application/problem+json");
		assertThat(chunked.body()).contains("\"status\":413");

		var small = ticketJson("fits").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(RawHttp.send("127.0.0.1", api.port(), head + "\r\nTransfer-Encoding: chunked",
				RawHttp.chunked(small, 7)).status()).isEqualTo(201);
		assertThat(jdbc.sql("SELECT count(*) FROM ticket").query(Long.class).single()).isEqualTo(before + 1);
	}

	@Test
	void jsonTooDeepTooLongOrTooWideAnswers400NamingTheField() {
		var merchant = api.newMerchant();
		var deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
		var tooDeep = api.post("/api/v1/tickets", merchant.adminKey(),
				"{\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\"},\"context\":" + deep + "}");
		assertField(tooDeep, "context");
		assertThat(tooDeep.body().get("detail").asText()).contains("32");

		var longString = api.post("/api/v1/tickets", merchant.adminKey(),
				"{\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\"},\"context\":{\"note\":\""
						+ "x".repeat(100_001) + "\"}}");
		assertField(longString, "context.note");

		var wide = api.post("/api/v1/tickets", merchant.adminKey(),
				"{\"subject\":\"s\",\"requester\":{\"email\":\"a@example.com\"},\"metadata\":{\"items\":["
						+ "1,".repeat(1000) + "1]}}");
		assertField(wide, "metadata.items");
		assertThat(jdbc.sql("SELECT count(*) FROM ticket WHERE merchant_id = ?").param(merchant.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void anUnexpectedFailureAnswers500ProblemDetailWithoutItsMessage() {
		var answer = api.getText("/test/failure", null);
		assertThat(answer.status()).isEqualTo(500);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.body().asText()).contains("\"status\":500").doesNotContain("internal detail");
		var html = RawHttp.send("127.0.0.1", api.port(), "GET /test/failure HTTP/1.1\r\nHost: localhost\r\nAccept: text/html", null);
		assertThat(html.status()).isEqualTo(500);
		assertThat(html.header("Content-Type")).startsWith("application/problem+json");
		assertThat(html.body()).contains("\"status\":500").doesNotContain("internal detail").doesNotContain("<html");
	}

	private static String ticketJson(String description) {
		return "{\"subject\":\"s\",\"description\":\"" + description + "\",\"requester\":{\"email\":\"a@example.com\"}}";
	}

	private static void assertField(TestApi.Response response, String field) {
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.body().get("errors").get(0).get("field").asText()).as(response.body().toString())
			.isEqualTo(field);
	}
}
