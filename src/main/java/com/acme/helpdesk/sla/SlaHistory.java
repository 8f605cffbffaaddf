package com.acme.helpdesk.sla;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tables {@code sla_clock_cycle} (the finished cycles of restarted clocks) and {@code sla_escalation_level} (each
 * escalation level that ran): what the clocks and escalations did, for {@link SlaTimelines}. Written in the
 * transaction of the change.
 */
@Component
class SlaHistory {

	record FinishedCycle(UUID clockId, int cycle, UUID merchantId, UUID ticketId, SlaMetric metric, Instant startedAt,
			Instant dueAt, boolean breached, Instant stoppedAt) {
	}

	private final JdbcClient jdbc;

	SlaHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void archive(FinishedCycle cycle) {
		jdbc.sql("""
				INSERT INTO sla_clock_cycle (clock_id, cycle, merchant_id, ticket_id, metric, started_at, due_at, breached,
				                             stopped_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
			.params(cycle.clockId(), cycle.cycle(), cycle.merchantId(), cycle.ticketId(), cycle.metric().name(),
					Timestamp.from(cycle.startedAt()), Timestamp.from(cycle.dueAt()), cycle.breached(),
					cycle.stoppedAt() == null ? null : Timestamp.from(cycle.stoppedAt()))
			.update();
	}

	void escalated(UUID escalationId, int level, UUID merchantId, UUID ticketId, Instant at) {
		jdbc.sql("""
				INSERT INTO sla_escalation_level (escalation_id, level, merchant_id, ticket_id, occurred_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
			.params(escalationId, level, merchantId, ticketId, Timestamp.from(at))
			.update();
	}
}
