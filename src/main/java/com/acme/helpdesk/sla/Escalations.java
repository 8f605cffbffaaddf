package com.acme.helpdesk.sla;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Table {@code sla_escalation}: one row per breach episode of a ticket, at most one {@code ACTIVE} per ticket. */
@Component
class Escalations {

	enum State {
		ACTIVE, COMPLETED, ENDED
	}

	record Escalation(UUID id, UUID merchantId, UUID ticketId, Instant breachedAt, int nextLevel, State state) {
	}

	private final JdbcClient jdbc;

	Escalations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The ticket's active escalation, locked until the caller's transaction ends. */
	Optional<Escalation> activeForUpdate(UUID merchantId, UUID ticketId) {
		return jdbc.sql("""
				SELECT id, merchant_id, ticket_id, breached_at, next_level, state FROM sla_escalation
				WHERE ticket_id = ? AND merchant_id = ? AND state = 'ACTIVE' FOR UPDATE""")
			.params(ticketId, merchantId)
			.query((rs, n) -> new Escalation(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
					rs.getObject("ticket_id", UUID.class), rs.getTimestamp("breached_at").toInstant(),
					rs.getInt("next_level"), State.valueOf(rs.getString("state"))))
			.optional();
	}

	List<Escalation> of(UUID merchantId, UUID ticketId) {
		return jdbc.sql("""
				SELECT id, merchant_id, ticket_id, breached_at, next_level, state FROM sla_escalation
				WHERE merchant_id = ? AND ticket_id = ? ORDER BY created_at""")
			.params(merchantId, ticketId)
			.query((rs, n) -> new Escalation(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
					rs.getObject("ticket_id", UUID.class), rs.getTimestamp("breached_at").toInstant(),
					rs.getInt("next_level"), State.valueOf(rs.getString("state"))))
			.list();
	}

	void advance(UUID id, int nextLevel, State state, Instant now) {
		jdbc.sql("UPDATE sla_escalation SET next_level = ?, state = ?, updated_at = ?, ended_at = ? WHERE id = ?")
			.params(nextLevel, state.name(), Timestamp.from(now), state == State.ACTIVE ? null : Timestamp.from(now), id)
			.update();
	}
}
