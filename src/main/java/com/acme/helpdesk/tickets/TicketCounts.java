package com.acme.helpdesk.tickets;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps category and tag counts, in the transaction that creates the ticket (so each ticket is counted exactly once,
 * when it commits). A ticket increments one of {@value #SHARDS} rows of each count (chosen by its id), so concurrent
 * creations seldom wait on one another; a count is the sum of its rows. Rows are locked in one order (category, then
 * tags by id) so concurrent creations never deadlock.
 */
@Component
class TicketCounts {

	/** Shards per count: concurrent creations rarely increment the same row. */
	static final int SHARDS = 16;

	private final JdbcClient jdbc;

	TicketCounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void count(TicketCreated event) {
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
