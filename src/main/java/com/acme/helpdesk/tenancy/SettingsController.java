package com.acme.helpdesk.tenancy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.InvalidFieldException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

@RestController
class SettingsController {

	/** A PUT replaces all settings; an absent {@code webhookSecret} keeps the stored one. */
	record SettingsInput(@Size(max = 2000) String webhookUrl, @Size(min = 16, max = 200) String webhookSecret,
			@Size(max = 2000) String enrichmentUrl, Boolean returnTicketsOfOfflineAgents, Duration surveyDelay) {
	}

	record SettingsView(URI webhookUrl, boolean webhookSecretSet, URI enrichmentUrl,
			boolean returnTicketsOfOfflineAgents, Duration surveyDelay) {

		static SettingsView of(MerchantSettings s) {
			return new SettingsView(s.webhookUrl(), s.webhookSecret() != null, s.enrichmentUrl(),
					s.returnTicketsOfOfflineAgents(), s.surveyDelay());
		}
	}

	private static final Duration MAX_SURVEY_DELAY = Duration.ofDays(30);

	private final Settings settings;
	private final AuditTrail audit;

	SettingsController(Settings settings, AuditTrail audit) {
		this.settings = settings;
		this.audit = audit;
	}

	@GetMapping("/api/v1/settings")
	SettingsView get(@AuthenticationPrincipal Tenant tenant) {
		return SettingsView.of(settings.of(tenant.merchantId()));
	}

	@PutMapping("/api/v1/settings")
	@Transactional
	SettingsView put(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody SettingsInput input) {
		if (!tenant.isAdmin()) {
			throw new AccessDeniedException("This needs an admin key");
		}
		var webhookUrl = httpUrl("webhookUrl", input.webhookUrl());
		var enrichmentUrl = httpUrl("enrichmentUrl", input.enrichmentUrl());
		var surveyDelay = input.surveyDelay() == null ? Duration.ZERO : input.surveyDelay();
		if (surveyDelay.isNegative() || surveyDelay.compareTo(MAX_SURVEY_DELAY) > 0) {
			throw new InvalidFieldException("surveyDelay", "must be between PT0S and P30D");
		}
		var secret = input.webhookSecret() != null ? input.webhookSecret()
				: settings.of(tenant.merchantId()).webhookSecret();
		if ((webhookUrl != null || enrichmentUrl != null) && secret == null) {
			throw new InvalidFieldException("webhookSecret", "is required with a webhook or enrichment URL");
		}
		var before = settings.of(tenant.merchantId());
		var after = settings.save(tenant.merchantId(), new MerchantSettings(webhookUrl, secret, enrichmentUrl,
				Boolean.TRUE.equals(input.returnTicketsOfOfflineAgents()), surveyDelay));
		audit.record(tenant, "settings.updated", "settings", audited(before), audited(after));
		return SettingsView.of(after);
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

	private static URI httpUrl(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			var uri = URI.create(value.strip());
			if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
				throw new InvalidFieldException(field, "must be an http or https URL");
			}
			return uri;
		}
		catch (IllegalArgumentException e) {
			throw new InvalidFieldException(field, "must be an http or https URL");
		}
	}
}
