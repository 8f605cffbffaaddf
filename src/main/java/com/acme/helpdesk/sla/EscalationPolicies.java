package com.acme.helpdesk.sla;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Table {@code escalation_policy}: one row per merchant, levels as JSON. */
@Component
class EscalationPolicies {

	/** The stored shape of a level (durations as ISO-8601 text). */
	record StoredLevel(String after, EscalationAction action, List<UUID> supervisorAgentIds) {
	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JdbcClient jdbc;
	private final Clock clock;

	EscalationPolicies(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	EscalationPolicy of(UUID merchantId) {
		return jdbc.sql("SELECT levels FROM escalation_policy WHERE merchant_id = ?")
			.param(merchantId)
			.query(String.class)
			.optional()
			.map(EscalationPolicies::parse)
			.orElse(EscalationPolicy.NONE);
	}

	EscalationPolicy save(UUID merchantId, EscalationPolicy policy) {
		var stored = policy.levels()
			.stream()
			.map(l -> new StoredLevel(l.after().toString(), l.action(), l.supervisorAgentIds()))
			.toList();
		try {
			jdbc.sql("""
					INSERT INTO escalation_policy (merchant_id, levels, updated_at) VALUES (?, ?, ?)
					ON CONFLICT (merchant_id) DO UPDATE SET levels = excluded.levels, updated_at = excluded.updated_at""")
				.params(merchantId, JSON.writeValueAsString(stored), Timestamp.from(clock.instant()))
				.update();
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
		return policy;
	}

	private static EscalationPolicy parse(String json) {
		try {
			List<StoredLevel> levels = JSON.readValue(json, new TypeReference<>() {
			});
			return new EscalationPolicy(levels.stream()
				.map(l -> new EscalationPolicy.Level(Duration.parse(l.after()), l.action(),
						l.supervisorAgentIds() == null ? List.of() : List.copyOf(l.supervisorAgentIds())))
				.toList());
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("unreadable escalation policy: " + json, e);
		}
	}
}
