package com.acme.helpdesk.tickets;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps category and tag counts, in the transaction of {@link NewTicketFollowUp}. Idempotent: the first delivery
 * of a ticket's {@link TicketCreated} records the ticket in {@code ticket_counted} in the same transaction as the
 * increments, so a replay finds it there and changes nothing. Rows are locked in one order (category, then tags by id) so
 * concurrent listeners never deadlock.
 */
@Component
class TicketCounts {

	private final JdbcClient jdbc;
	private final Clock clock;

	TicketCounts(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	void count(TicketCreated event) {
		var first = jdbc.sql("INSERT INTO ticket_counted (ticket_id, counted_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
			.params(event.ticketId(), Timestamp.from(clock.instant()))
			.update() == 1;
		if (!first) {
			return;
		}
		if (event.categoryId() != null) {
			jdbc.sql("UPDATE category SET ticket_count = ticket_count + 1 WHERE id = ? AND merchant_id = ?")
				.params(event.categoryId(), event.merchantId())
				.update();
		}
		event.tagIds().stream().distinct().sorted().forEach(tagId -> jdbc
			.sql("UPDATE tag SET ticket_count = ticket_count + 1 WHERE id = ? AND merchant_id = ?")
			.params(tagId, event.merchantId())
			.update());
	}
}
