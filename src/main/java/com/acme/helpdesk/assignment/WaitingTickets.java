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

	/** The oldest waiting tickets in the categories the agent serves. */
	List<UUID> oldestFor(UUID merchantId, UUID agentId, int limit) {
		return jdbc.sql("""
				SELECT w.ticket_id FROM assignment_waiting w JOIN agent a ON a.id = :agent AND a.merchant_id = w.merchant_id
				WHERE w.merchant_id = :merchant AND w.category_id = ANY (a.category_ids)
				ORDER BY w.waiting_since, w.ticket_id LIMIT :limit""")
			.param("agent", agentId)
			.param("merchant", merchantId)
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}
}
