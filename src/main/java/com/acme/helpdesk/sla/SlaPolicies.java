package com.acme.helpdesk.sla;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.tickets.Priority;

/** Table {@code sla_policy}: one row per merchant and priority. */
@Component
class SlaPolicies {

	private final JdbcClient jdbc;
	private final Clock clock;

	SlaPolicies(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	Optional<SlaPolicy> find(UUID merchantId, Priority priority) {
		return jdbc.sql("""
				SELECT priority, first_response, resolution, warning_percent, business_hours
				FROM sla_policy WHERE merchant_id = ? AND priority = ?""")
			.params(merchantId, priority.name())
			.query((rs, n) -> map(rs))
			.optional();
	}

	List<SlaPolicy> all(UUID merchantId) {
		return jdbc.sql("""
				SELECT priority, first_response, resolution, warning_percent, business_hours
				FROM sla_policy WHERE merchant_id = ?""")
			.param(merchantId)
			.query((rs, n) -> map(rs))
			.list()
			.stream()
			.sorted(java.util.Comparator.comparing(SlaPolicy::priority))
			.toList();
	}

	SlaPolicy save(UUID merchantId, SlaPolicy policy) {
		jdbc.sql("""
				INSERT INTO sla_policy (merchant_id, priority, first_response, resolution, warning_percent, business_hours, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (merchant_id, priority) DO UPDATE SET first_response = excluded.first_response,
				  resolution = excluded.resolution, warning_percent = excluded.warning_percent,
				  business_hours = excluded.business_hours, updated_at = excluded.updated_at""")
			.params(merchantId, policy.priority().name(), policy.firstResponse().toString(),
					policy.resolution().toString(), policy.warningPercent(),
					BusinessHoursJson.write(policy.businessHours()), Timestamp.from(clock.instant()))
			.update();
		return policy;
	}

	private static SlaPolicy map(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new SlaPolicy(Priority.valueOf(rs.getString("priority")), Duration.parse(rs.getString("first_response")),
				Duration.parse(rs.getString("resolution")), rs.getInt("warning_percent"),
				BusinessHoursJson.read(rs.getString("business_hours")));
	}
}
