package com.acme.helpdesk.tickets;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Table {@code ticket_history}: every status change, assignment, unassignment and priority change of a ticket, written
 * by a synchronous listener in the transaction of the change (no event publication: it commits with the change or not
 * at all). The rows are the ticket's timeline for {@link TicketTimelines}.
 */
@Component
class TicketHistory {

	enum Kind {
		STATUS, ASSIGNED, UNASSIGNED, PRIORITY
	}

	private final JdbcClient jdbc;

	TicketHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketStatusChanged event) {
		insert(event.ticketId(), event.merchantId(), event.ticketVersion(), event.occurredAt(), Kind.STATUS,
				event.from().name(), event.to().name());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketAssigned event) {
		insert(event.ticketId(), event.merchantId(), event.ticketVersion(), event.occurredAt(), Kind.ASSIGNED,
				text(event.previousAgentId()), text(event.agentId()));
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketUnassigned event) {
		insert(event.ticketId(), event.merchantId(), event.ticketVersion(), event.occurredAt(), Kind.UNASSIGNED,
				text(event.previousAgentId()), null);
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketPriorityChanged event) {
		insert(event.ticketId(), event.merchantId(), event.ticketVersion(), event.occurredAt(), Kind.PRIORITY,
				event.from().name(), event.to().name());
	}

	private void insert(UUID ticketId, UUID merchantId, long version, Instant at, Kind kind, String from, String to) {
		jdbc.sql("""
				INSERT INTO ticket_history (ticket_id, merchant_id, ticket_version, occurred_at, kind, from_value, to_value)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(ticketId, merchantId, version, Timestamp.from(at), kind.name(), from, to)
			.update();
	}

	private static String text(UUID id) {
		return id == null ? null : id.toString();
	}
}
