package com.acme.helpdesk.notifications;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.notifications.NotificationStore.RecipientKind;
import com.acme.helpdesk.notifications.NotificationStore.Row;
import com.acme.helpdesk.tenancy.MerchantSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@code POST} of {@code {"id","type","occurredAt","merchantId","ticketId","recipient","data"}} to the merchant's
 * webhook URL with {@code X-Helpdesk-Timestamp} (epoch seconds) and {@code X-Helpdesk-Signature: sha256=<hex
 * HMAC-SHA256 of "<timestamp>.<body>" with the merchant's secret>}; short time-outs. Any answer but 2xx throws, so the
 * job is retried.
 */
@Component
class WebhookChannel {

	static final String TIMESTAMP = "X-Helpdesk-Timestamp";
	static final String SIGNATURE = "X-Helpdesk-Signature";

	private final HttpClient http;
	private final NotificationProperties properties;
	private final ObjectMapper json;
	private final Clock clock;

	WebhookChannel(NotificationProperties properties, ObjectMapper json, Clock clock) {
		this.properties = properties;
		this.json = json;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.webhookConnectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	void send(Row notification, MerchantSettings merchant) {
		var recipient = json.createObjectNode();
		recipient.put("kind", notification.kind().name());
		if (notification.kind() == RecipientKind.AGENT) {
			recipient.put("agentId", String.valueOf(notification.agentId()));
		}
		recipient.put("email", notification.email());
		post(merchant, notification.id().toString(), notification.type(), notification.createdAt().toString(),
				notification.merchantId().toString(), notification.ticketId(), recipient, notification.payload());
	}

	void post(MerchantSettings merchant, String id, NotificationType type, String occurredAt, String merchantId,
			java.util.UUID ticketId, JsonNode recipient, JsonNode data) {
		if (merchant.webhookUrl() == null) {
			throw new IllegalStateException("The merchant has no webhook URL any more");
		}
		var envelope = json.createObjectNode();
		envelope.put("id", id);
		envelope.put("type", type.name());
		envelope.put("occurredAt", occurredAt);
		envelope.put("merchantId", merchantId);
		envelope.put("ticketId", ticketId == null ? null : ticketId.toString());
		envelope.set("recipient", recipient);
		envelope.set("data", data);
		String body;
		try {
			body = json.writeValueAsString(envelope);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
		var timestamp = String.valueOf(clock.instant().getEpochSecond());
		var request = HttpRequest.newBuilder(URI.create(merchant.webhookUrl().toString()))
			.timeout(properties.webhookTimeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", "helpdesk-webhooks")
			.header(TIMESTAMP, timestamp)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (merchant.webhookSecret() != null && !merchant.webhookSecret().isEmpty()) {
			request.header(SIGNATURE, "sha256=" + sign(merchant.webhookSecret(), timestamp + "." + body));
		}
		HttpResponse<Void> response;
		try {
			response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException("Webhook " + merchant.webhookUrl() + " failed: " + e, e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling the webhook", e);
		}
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException("Webhook " + merchant.webhookUrl() + " answered " + response.statusCode());
		}
	}

	static String sign(String secret, String text) {
		try {
			var mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
