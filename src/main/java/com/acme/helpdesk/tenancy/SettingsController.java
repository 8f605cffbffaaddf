package com.acme.helpdesk.tenancy;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/**
 * {@code /api/v1/settings}. URLs are checked by {@link OutboundCalls#checkedUrl}. The webhook secret
 * ({@code whsec_<base64 of 24 to 64 bytes>}, Standard Webhooks) is generated when a URL is set and none is stored or
 * given, and then shown once, in {@code webhookSecret} of that answer; giving a different one, or
 * {@code POST /api/v1/settings/webhook-secret}, rotates it: the old one keeps signing next to the new one until
 * {@code previousWebhookSecretValidUntil}.
 */
@RestController
@EnableConfigurationProperties(WebhookSecretProperties.class)
@Tag(name = "Settings")
class SettingsController {

	/** A PUT replaces all settings; an absent {@code webhookSecret} keeps the stored one. */
	@Schema(name = "SettingsInput",
			description = "All of the merchant's settings (a field left out is reset, but for `webhookSecret`)")
	record SettingsInput(
			@Schema(description = "Where notifications for requesters (and agents who chose `WEBHOOK`) are posted; "
					+ "none when left out", example = "https://hooks.example.com/helpdesk") @Size(max = 2000) String webhookUrl,
			@Schema(description = "The webhook signing secret (`whsec_` and the base64 of 24 to 64 random bytes); "
					+ "left out: the stored one is kept, or one is made") @Size(max = 200) String webhookSecret,
			@Schema(description = "The merchant's endpoint the `enrich` job asks about new tickets; none when left out",
					example = "https://crm.example.com/helpdesk/enrich") @Size(max = 2000) String enrichmentUrl,
			@Schema(description = "Whether an agent going offline hands its open tickets back to assignment; "
					+ "`false` when left out")
			Boolean returnTicketsOfOfflineAgents,
			@Schema(description = "How long after a ticket is resolved its survey is sent, `PT0S` to `P30D`; "
					+ "`PT0S` when left out",
					type = "string", format = "duration", example = "PT1H") Duration surveyDelay) {
	}

	/** {@code webhookSecret} only in the answer that made it. */
	@Schema(name = "Settings", description = "The merchant's settings")
	record SettingsView(@Schema(description = "Where webhooks are posted", nullable = true) URI webhookUrl,
			@Schema(description = "Whether a webhook secret is stored (it is never shown again)")
			boolean webhookSecretSet,
			@Schema(description = "The new webhook secret: only in the answer that made or rotated it")
			@JsonInclude(JsonInclude.Include.NON_NULL) String webhookSecret,
			@Schema(description = "Until when the previous secret signs next to the new one, after a rotation",
					nullable = true)
			Instant previousWebhookSecretValidUntil,
			@Schema(description = "The enrichment endpoint", nullable = true) URI enrichmentUrl,
			@Schema(description = "Whether an agent going offline hands its open tickets back to assignment")
			boolean returnTicketsOfOfflineAgents,
			@Schema(description = "How long after a ticket is resolved its survey is sent", type = "string", format = "duration",
					example = "PT0S") Duration surveyDelay) {

		static SettingsView of(MerchantSettings s, String newSecret, Instant now) {
			var overlapEnds = s.signingSecrets(now).size() > 1 ? s.previousWebhookSecretUntil() : null;
			return new SettingsView(s.webhookUrl(), s.webhookSecret() != null, newSecret, overlapEnds, s.enrichmentUrl(),
					s.returnTicketsOfOfflineAgents(), s.surveyDelay());
		}
	}

	private static final Duration MAX_SURVEY_DELAY = Duration.ofDays(30);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final MerchantSettingsStore settings;
	private final AuditTrail audit;
	private final OutboundCalls outbound;
	private final Duration secretOverlap;
	private final Clock clock;

	SettingsController(MerchantSettingsStore settings, AuditTrail audit, OutboundCalls outbound, WebhookSecretProperties properties,
			Clock clock) {
		this.settings = settings;
		this.audit = audit;
		this.outbound = outbound;
		this.secretOverlap = properties.secretOverlap();
		this.clock = clock;
	}

	@GetMapping("/api/v1/settings")
	@Operation(operationId = "getSettings", summary = "Read the settings",
			description = "The merchant's settings; never the webhook secret.")
	SettingsView get(@AuthenticationPrincipal Tenant tenant) {
		return SettingsView.of(settings.of(tenant.merchantId()), null, clock.instant());
	}

	@PutMapping("/api/v1/settings")
	@Transactional
	@Operation(operationId = "replaceSettings", summary = "Replace the settings", description = """
			Replaces all settings. URLs must be `http(s)` and may not reach internal addresses unless \
			`HELPDESK_OUTBOUND_ALLOW` lists them. Setting a webhook or enrichment URL with no secret stored makes one, \
			shown once in `webhookSecret`; a different `webhookSecret` rotates it. Needs an admin key.""")
	@ApiResponse(responseCode = "200", description = "The settings")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	SettingsView put(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody SettingsInput input) {
		requireAdmin(tenant);
		var webhookUrl = outbound.checkedUrl("webhookUrl", input.webhookUrl());
		var enrichmentUrl = outbound.checkedUrl("enrichmentUrl", input.enrichmentUrl());
		var surveyDelay = input.surveyDelay() == null ? Duration.ZERO : input.surveyDelay();
		if (surveyDelay.isNegative() || surveyDelay.compareTo(MAX_SURVEY_DELAY) > 0) {
			throw new InvalidFieldException("surveyDelay", "must be between PT0S and P30D");
		}
		if (input.webhookSecret() != null) {
			checkSecret(input.webhookSecret());
		}
		var stored = settings.of(tenant.merchantId());
		var now = clock.instant();
		String generated = null;
		var secret = input.webhookSecret();
		if (secret == null && stored.webhookSecret() == null && (webhookUrl != null || enrichmentUrl != null)) {
			secret = generated = newSecret();
		}
		var rotated = rotated(stored, secret, now);
		var after = settings.save(tenant.merchantId(), new MerchantSettings(webhookUrl, rotated.webhookSecret(),
				enrichmentUrl, Boolean.TRUE.equals(input.returnTicketsOfOfflineAgents()), surveyDelay,
				rotated.previousWebhookSecret(), rotated.previousWebhookSecretUntil()));
		audit.record(tenant, "settings.updated", "settings", audited(stored), audited(after));
		return SettingsView.of(after, generated, now);
	}

	/** What the audit trail keeps of settings: whether a webhook secret is set, never the secret. */
	private static Map<String, Object> audited(MerchantSettings s) {
		var audited = new LinkedHashMap<String, Object>();
		audited.put("webhookUrl", s.webhookUrl());
		audited.put("webhookSecretSet", s.webhookSecret() != null);
		audited.put("enrichmentUrl", s.enrichmentUrl());
		audited.put("returnTicketsOfOfflineAgents", s.returnTicketsOfOfflineAgents());
		audited.put("surveyDelay", s.surveyDelay());
		return audited;
	}

	/** Makes a new secret, shown once in the answer; the old one signs too for the overlap. */
	@PostMapping("/api/v1/settings/webhook-secret")
	@Transactional
	@Operation(operationId = "rotateWebhookSecret", summary = "Rotate the webhook secret", description = """
			Makes a new secret, shown once in `webhookSecret`; the previous one keeps signing next to it until \
			`previousWebhookSecretValidUntil` (`helpdesk.webhooks.secret-overlap`). Needs an admin key.""")
	@ApiResponse(responseCode = "200", description = "The settings, with the new `webhookSecret`")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	SettingsView rotateSecret(@AuthenticationPrincipal Tenant tenant) {
		requireAdmin(tenant);
		var now = clock.instant();
		var secret = newSecret();
		var stored = settings.of(tenant.merchantId());
		var after = settings.save(tenant.merchantId(), rotated(stored, secret, now));
		audit.record(tenant, "settings.webhook-secret-rotated", "settings", audited(stored), audited(after));
		return SettingsView.of(after, secret, now);
	}

	/** The stored settings with {@code secret} current (the stored one kept for the overlap when it differs). */
	private MerchantSettings rotated(MerchantSettings stored, String secret, Instant now) {
		if (secret == null || secret.equals(stored.webhookSecret())) {
			return stored;
		}
		var previous = stored.webhookSecret();
		return new MerchantSettings(stored.webhookUrl(), secret, stored.enrichmentUrl(),
				stored.returnTicketsOfOfflineAgents(), stored.surveyDelay(), previous,
				previous == null ? null : now.plus(secretOverlap));
	}

	private static void requireAdmin(Tenant tenant) {
		tenant.requireAdmin();
	}

	private static void checkSecret(String secret) {
		var message = "must be whsec_ followed by the base64 of 24 to 64 random bytes (leave it out to have one made)";
		if (!secret.startsWith("whsec_")) {
			throw new InvalidFieldException("webhookSecret", message);
		}
		try {
			var key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
			if (key.length < 24 || key.length > 64) {
				throw new InvalidFieldException("webhookSecret", message);
			}
		}
		catch (IllegalArgumentException e) {
			throw new InvalidFieldException("webhookSecret", message);
		}
	}

	private static String newSecret() {
		var key = new byte[32];
		RANDOM.nextBytes(key);
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}
}
