package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.notifications.NotificationStore.RecipientKind;
import com.acme.helpdesk.notifications.NotificationStore.Row;
import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.tenancy.MerchantSettings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@code POST} of {@code {"id","type","occurredAt","merchantId","ticketId","recipient","data"}} to the merchant's
 * webhook URL through {@link OutboundCalls}: signed as Standard Webhooks ({@code webhook-id} is the notification's id,
 * the same on every attempt), with the connect time-out and a deadline for the whole exchange. Any answer but 2xx
 * throws, so the job is retried; a URL leading to an address the merchant may not reach throws
 * {@link com.acme.helpdesk.outbound.OutboundRefusedException} (not retried).
 */
@Component
class WebhookChannel {

	private final OutboundCalls outbound;
	private final NotificationProperties properties;
	private final ObjectMapper json;
	private final Clock clock;

	WebhookChannel(OutboundCalls outbound, NotificationProperties properties, ObjectMapper json, Clock clock) {
		this.outbound = outbound;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
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
		outbound.post(JobQueue.NOTIFICATION, UUID.fromString(merchantId),
				new OutboundCalls.Request(merchant.webhookUrl(), id, merchant.signingSecrets(clock.instant()), body,
						properties.webhookConnectTimeout(), properties.webhookTimeout(), 0));
	}
}
