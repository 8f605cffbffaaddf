package com.acme.helpdesk.tenancy;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.swagger.v3.oas.annotations.media.Schema;

@Service
class Merchants {

	@Schema(description = "A new merchant, with its first admin API key")
	record CreatedMerchant(@Schema(description = "The merchant's id") UUID merchantId,
			@Schema(description = "The merchant's name") String name,
			@Schema(description = "Its first admin API key (`hd_...`): shown only here, stored hashed")
			String adminApiKey) {
	}

	private final JdbcClient jdbc;
	private final ApiKeys apiKeys;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	Merchants(JdbcClient jdbc, ApiKeys apiKeys, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.apiKeys = apiKeys;
		this.events = events;
		this.clock = clock;
	}

	@Transactional
	CreatedMerchant create(String name) {
		var id = UUID.randomUUID();
		jdbc.sql("INSERT INTO merchant (id, name, created_at) VALUES (?, ?, ?)")
			.params(id, name, Timestamp.from(clock.instant()))
			.update();
		var key = apiKeys.issueAdminKey(id);
		events.publishEvent(new MerchantCreated(id, name));
		return new CreatedMerchant(id, name, key);
	}
}
