package com.acme.helpdesk.assignment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Tickets waiting for an agent with room, oldest first. */
@Component
class WaitingTickets {

	private final JdbcClient jdbc;

	WaitingTickets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void add(UUID merchantId, UUID ticketId, UUID categoryId, Instant since) {
		jdbc.sql("""
				INSERT INTO assignment_waiting (ticket_id, merchant_id, category_id, waiting_since) VALUES (?, ?, ?, ?)
				ON CONFLICT (ticket_id) DO NOTHING""")
			.params(ticketId, merchantId, categoryId, Timestamp.from(since))
			.update();
	}

	void remove(UUID ticketId) {
		jdbc.sql("DELETE FROM assignment_waiting WHERE ticket_id = ?").param(ticketId).update();
	}

	boolean contains(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM assignment_waiting WHERE ticket_id = ?").param(ticketId).query(Long.class).single() > 0;
	}

	List<UUID> oldestInCategory(UUID merchantId, UUID categoryId, int limit) {
		return jdbc.sql("""
				SELECT ticket_id FROM assignment_waiting WHERE merchant_id = ? AND category_id = ?
				ORDER BY waiting_since, ticket_id LIMIT ?""")
			.params(merchantId, categoryId, limit)
			.query(UUID.class)
			.list();
	}

	/** The categories the agent serves that have waiting tickets. */
	List<UUID> categoriesWaitingFor(UUID merchantId, UUID agentId) {
		return jdbc.sql("""
				SELECT DISTINCT w.category_id FROM assignment_waiting w
				JOIN agent a ON a.id = :agent AND a.merchant_id = w.merchant_id AND w.category_id = ANY (a.category_ids)
				WHERE w.merchant_id = :merchant""")
			.param("agent", agentId)
			.param("merchant", merchantId)
			.query(UUID.class)
			.list();
	}
}
