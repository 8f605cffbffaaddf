package com.acme.helpdesk.tenancy;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and writes merchants' settings; a merchant that never saved any has the defaults. */
@Service
public class MerchantSettingsStore {

	private final JdbcClient jdbc;
	private final Clock clock;

	MerchantSettingsStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Whether the merchant exists (with or without settings of its own). */
	public boolean exists(UUID merchantId) {
		return jdbc.sql("SELECT EXISTS (SELECT 1 FROM merchant WHERE id = ?)").param(merchantId).query(Boolean.class).single();
	}

	/** One statement: a caller outside a transaction needs none (a read-only one cost two more round trips). */
	public MerchantSettings of(UUID merchantId) {
		return jdbc.sql("""
				SELECT webhook_url, webhook_secret, enrichment_url, return_tickets_of_offline_agents, survey_delay,
				       previous_webhook_secret, previous_webhook_secret_until
				FROM merchant_settings WHERE merchant_id = ?""")
			.param(merchantId)
			.query((rs, row) -> new MerchantSettings(uri(rs.getString(1)), rs.getString(2), uri(rs.getString(3)),
					rs.getBoolean(4), Duration.parse(rs.getString(5)), rs.getString(6), instant(rs.getTimestamp(7))))
			.optional()
			.orElseGet(MerchantSettings::defaults);
	}

	@Transactional
	MerchantSettings save(UUID merchantId, MerchantSettings settings) {
		jdbc.sql("""
				INSERT INTO merchant_settings (merchant_id, webhook_url, webhook_secret, enrichment_url,
				    return_tickets_of_offline_agents, survey_delay, previous_webhook_secret, previous_webhook_secret_until,
				    updated_at)
				VALUES (:merchant, :webhookUrl, :webhookSecret, :enrichmentUrl, :returnTickets, :surveyDelay,
				    :previousSecret, :previousSecretUntil, :now)
				ON CONFLICT (merchant_id) DO UPDATE SET webhook_url = excluded.webhook_url,
				    webhook_secret = excluded.webhook_secret, enrichment_url = excluded.enrichment_url,
				    return_tickets_of_offline_agents = excluded.return_tickets_of_offline_agents,
				    survey_delay = excluded.survey_delay, previous_webhook_secret = excluded.previous_webhook_secret,
				    previous_webhook_secret_until = excluded.previous_webhook_secret_until,
				    updated_at = excluded.updated_at""")
			.param("merchant", merchantId)
			.param("webhookUrl", string(settings.webhookUrl()))
			.param("webhookSecret", settings.webhookSecret())
			.param("enrichmentUrl", string(settings.enrichmentUrl()))
			.param("returnTickets", settings.returnTicketsOfOfflineAgents())
			.param("surveyDelay", settings.surveyDelay().toString())
			.param("previousSecret", settings.previousWebhookSecret())
			.param("previousSecretUntil", settings.previousWebhookSecretUntil() == null ? null
					: Timestamp.from(settings.previousWebhookSecretUntil()))
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return settings;
	}

	private static URI uri(String value) {
		return value == null ? null : URI.create(value);
	}

	private static java.time.Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	private static String string(URI uri) {
		return uri == null ? null : uri.toString();
	}
}
