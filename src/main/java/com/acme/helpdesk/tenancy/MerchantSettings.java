package com.acme.helpdesk.tenancy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A merchant's settings. {@code webhookSecret} ({@code whsec_<base64>}) signs both webhooks and enrichment requests
 * (Standard Webhooks); after a rotation {@code previousWebhookSecret} signs too until
 * {@code previousWebhookSecretUntil}. Secrets are never shown through the API, except once when the service makes one.
 */
public record MerchantSettings(URI webhookUrl, String webhookSecret, URI enrichmentUrl,
		boolean returnTicketsOfOfflineAgents, Duration surveyDelay, String previousWebhookSecret,
		Instant previousWebhookSecretUntil) {

	public MerchantSettings(URI webhookUrl, String webhookSecret, URI enrichmentUrl, boolean returnTicketsOfOfflineAgents,
			Duration surveyDelay) {
		this(webhookUrl, webhookSecret, enrichmentUrl, returnTicketsOfOfflineAgents, surveyDelay, null, null);
	}

	public static MerchantSettings defaults() {
		return new MerchantSettings(null, null, null, false, Duration.ZERO);
	}

	/** The secrets that sign a request sent at {@code now}: the current one, then a rotated one still in overlap. */
	public List<String> signingSecrets(Instant now) {
		if (webhookSecret == null) {
			return List.of();
		}
		if (previousWebhookSecret != null && previousWebhookSecretUntil != null && now.isBefore(previousWebhookSecretUntil)) {
			return List.of(webhookSecret, previousWebhookSecret);
		}
		return List.of(webhookSecret);
	}
}
