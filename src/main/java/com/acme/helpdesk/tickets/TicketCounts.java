package com.acme.helpdesk.tickets;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps category and tag counts, in the transaction of {@link TicketListeners#count}. Idempotent: the first delivery
 * of a ticket's {@link TicketCreated} records the ticket in {@code ticket_counted} in the same transaction as the
 * increments, so a replay finds it there and changes nothing. A ticket increments one of {@value #SHARDS} rows of each
 * count (chosen by its id), so concurrent listeners seldom wait on one another; a count is the sum of its rows. Rows are
 * locked in one order (category, then tags by id) so concurrent listeners never deadlock.
 */
@Component
class TicketCounts {

	/** Shards per count: concurrent listeners rarely increment the same row. */
	static final int SHARDS = 16;

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
		var shard = Math.floorMod(event.ticketId().hashCode(), SHARDS);
		if (event.categoryId() != null) {
			jdbc.sql("""
					INSERT INTO category_ticket_count (category_id, shard, ticket_count)
					SELECT id, ?, 1 FROM category WHERE id = ? AND merchant_id = ?
					ON CONFLICT (category_id, shard) DO UPDATE SET ticket_count = category_ticket_count.ticket_count + 1""")
				.params(shard, event.categoryId(), event.merchantId())
				.update();
		}
		event.tagIds().stream().distinct().sorted().forEach(tagId -> jdbc.sql("""
				INSERT INTO tag_ticket_count (tag_id, shard, ticket_count)
				SELECT id, ?, 1 FROM tag WHERE id = ? AND merchant_id = ?
				ON CONFLICT (tag_id, shard) DO UPDATE SET ticket_count = tag_ticket_count.ticket_count + 1""")
			.params(shard, tagId, event.merchantId())
			.update());
	}
}
