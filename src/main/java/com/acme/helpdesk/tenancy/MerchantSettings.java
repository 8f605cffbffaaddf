package com.acme.helpdesk.tenancy;

import java.net.URI;
import java.time.Duration;

/**
 * A merchant's settings. {@code webhookSecret} signs both webhooks and enrichment requests
 * (HMAC-SHA256); it is never shown through the API.
 */
public record MerchantSettings(URI webhookUrl, String webhookSecret, URI enrichmentUrl,
		boolean returnTicketsOfOfflineAgents, Duration surveyDelay) {

	public static MerchantSettings defaults() {
		return new MerchantSettings(null, null, null, false, Duration.ZERO);
	}
}
