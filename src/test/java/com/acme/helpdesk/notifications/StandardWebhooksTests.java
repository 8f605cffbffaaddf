package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.support.TestWebhook;

/**
 * Webhooks as a merchant receives them: every delivery verified with the Standard Webhooks library
 * ({@link TestWebhook}), one {@code webhook-id} per delivery across retries, a secret made by the service and shown
 * once, and a rotation during which both secrets verify.
 */
@HelpdeskWithJobsTest
class StandardWebhooksTests {

	static final Duration WAIT = Duration.ofSeconds(40);

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aSecretIsMadeWhenNoneIsGivenAndShownOnlyInThatAnswer() throws Exception {
		var merchant = api.newMerchant();
		try (var probe = new TestWebhook("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 200)) {
			var saved = api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", probe.url()));
			assertThat(saved.status()).as("%s", saved.body()).isEqualTo(200);
			var secret = saved.body().get("webhookSecret").asText();
			assertThat(secret).startsWith("whsec_");
			assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);

			var read = api.get("/api/v1/settings", merchant.adminKey()).body();
			assertThat(read.has("webhookSecret")).isFalse();
			assertThat(read.get("webhookSecretSet").asBoolean()).isTrue();
			var again = api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", probe.url()));
			assertThat(again.body().has("webhookSecret")).isFalse();

			try (var hook = new TestWebhook(secret, 200)) {
				assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", hook.url())).status())
					.isEqualTo(200);
				var ticket = ticketInProgress(merchant);
				await().atMost(WAIT).until(() -> hook.calls().size() == 1);
				assertThat(hook.calls().get(0).signatureValid()).isTrue();
				assertThat(hook.calls().get(0).json().get("ticketId").asText()).isEqualTo(ticket.toString());
			}
		}
	}

	@Test
	void everyDeliveryVerifiesAndARetriedDeliveryKeepsItsWebhookId() throws Exception {
		var merchant = api.newMerchant();
		var secret = TestWebhook.secret("retried-delivery-secret-0123456789");
		try (var hook = new TestWebhook(secret, 503)) {
			save(merchant, hook, secret);
			var ticket = ticketInProgress(merchant);
			await().atMost(WAIT).until(() -> hook.calls().size() == 1);
			hook.answer(200);
			await().atMost(WAIT).until(() -> hook.calls().size() == 2);

			var notification = jdbc.sql("SELECT id::text, state FROM notification WHERE ticket_id = ? AND channel = 'WEBHOOK'")
				.param(ticket)
				.query()
				.singleRow();
			var calls = hook.calls();
			assertThat(calls).allSatisfy(call -> {
				assertThat(call.signatureValid()).isTrue();
				assertThat(call.id()).isEqualTo(notification.get("id"));
				assertThat(call.json().get("id").asText()).isEqualTo(notification.get("id"));
				assertThat(call.signature()).startsWith("v1,");
				assertThat(call.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-helpdesk"));
			});
			assertThat(Long.parseLong(calls.get(1).timestamp())).isGreaterThanOrEqualTo(Long.parseLong(calls.get(0).timestamp()));
			await().atMost(WAIT).until(() -> "SENT".equals(jdbc.sql("SELECT state FROM notification WHERE id = ?::uuid")
				.param(notification.get("id"))
				.query(String.class)
				.single()));
		}
	}

	@Test
	void duringARotationBothSecretsVerifyAndAfterItOnlyTheNewOne() throws Exception {
		var merchant = api.newMerchant();
		var oldSecret = TestWebhook.secret("the-old-secret-of-this-merchant");
		try (var hook = new TestWebhook(oldSecret, 200)) {
			save(merchant, hook, oldSecret);
			var rotated = api.post("/api/v1/settings/webhook-secret", merchant.adminKey(), null);
			assertThat(rotated.status()).as("%s", rotated.body()).isEqualTo(200);
			var newSecret = rotated.body().get("webhookSecret").asText();
			assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
			assertThat(Instant.parse(rotated.body().get("previousWebhookSecretValidUntil").asText()))
				.isAfter(Instant.now().plus(Duration.ofHours(23)));
			assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().has("webhookSecret")).isFalse();

			ticketInProgress(merchant);
			await().atMost(WAIT).until(() -> hook.calls().size() == 1);
			var duringOverlap = hook.calls().get(0);
			assertThat(duringOverlap.signature().split(" ")).hasSize(2).allMatch(entry -> entry.startsWith("v1,"));
			assertThat(duringOverlap.verifiesWith(newSecret)).isTrue();
			assertThat(duringOverlap.verifiesWith(oldSecret)).isTrue();

			// the overlap ends
			jdbc.sql("UPDATE merchant_settings SET previous_webhook_secret_until = now() - interval '1 second' WHERE merchant_id = ?")
				.param(merchant.id())
				.update();
			ticketInProgress(merchant);
			await().atMost(WAIT).until(() -> hook.calls().size() == 2);
			var afterOverlap = hook.calls().get(1);
			assertThat(afterOverlap.signature().split(" ")).hasSize(1);
			assertThat(afterOverlap.verifiesWith(newSecret)).isTrue();
			assertThat(afterOverlap.verifiesWith(oldSecret)).isFalse();
			assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().get("previousWebhookSecretValidUntil").isNull())
				.isTrue();
		}
	}

	@Test
	void aGivenSecretMustBeAStandardWebhooksSecretAndOnlyAnAdminRotatesIt() {
		var merchant = api.newMerchant();
		for (var bad : new String[] { "0123456789abcdef0123456789abcdef", "whsec_", "whsec_not base64!",
				"whsec_" + Base64.getEncoder().encodeToString(new byte[16]),
				"whsec_" + Base64.getEncoder().encodeToString(new byte[65]) }) {
			var response = api.put("/api/v1/settings", merchant.adminKey(),
					Map.of("webhookUrl", "https://example.com/hook", "webhookSecret", bad));
			assertThat(response.status()).as(bad).isEqualTo(400);
			assertThat(response.body().get("errors").findValuesAsText("field")).containsExactly("webhookSecret");
		}
		assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().get("webhookSecretSet").asBoolean()).isFalse();
		var agent = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "Ann", "email",
				"ann-" + UUID.randomUUID() + "@example.com", "capacity", 5, "availability", "ONLINE"));
		assertThat(agent.status()).as("%s", agent.body()).isEqualTo(201);
		assertThat(api.post("/api/v1/settings/webhook-secret", agent.body().get("apiKey").asText(), null).status())
			.isEqualTo(403);
		assertThat(api.get("/api/v1/settings", merchant.adminKey()).body().get("webhookSecretSet").asBoolean()).isFalse();
	}

	private void save(Merchant merchant, TestWebhook hook, String secret) {
		var response = api.put("/api/v1/settings", merchant.adminKey(), Map.of("webhookUrl", hook.url(), "webhookSecret", secret));
		assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
		assertThat(response.body().has("webhookSecret")).isFalse();
	}

	/** A ticket moved to IN_PROGRESS: its requester is told by webhook. */
	private UUID ticketInProgress(Merchant merchant) {
		var ticket = UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Where is my order",
				"requester", Map.of("email", "ann@example.com"))).body().get("id").asText());
		assertThat(api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(), Map.of("status", "IN_PROGRESS"))
			.status()).isEqualTo(200);
		return ticket;
	}
}
