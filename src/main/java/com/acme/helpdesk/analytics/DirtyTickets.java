package com.acme.helpdesk.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Table {@code analytics_dirty_ticket}: the tickets whose figures must be recounted. Every mark takes a new
 * generation, so a worker removes a marker only when no change marked the ticket again after the worker read it.
 */
@Repository
class DirtyTickets {

	/** A marker as a worker read it. */
	record Marker(UUID ticketId, long generation) {
	}

	private final JdbcClient jdbc;
	private final JdbcTemplate template;

	DirtyTickets(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	void mark(UUID merchantId, UUID ticketId, Instant at) {
		jdbc.sql("""
				INSERT INTO analytics_dirty_ticket (ticket_id, merchant_id, generation, marked_at)
				VALUES (?, ?, nextval('analytics_dirty_generation'), ?)
				ON CONFLICT (ticket_id) DO UPDATE SET generation = EXCLUDED.generation, marked_at = EXCLUDED.marked_at""")
			.params(ticketId, merchantId, Timestamp.from(at))
			.update();
	}

	/** Marks many tickets of one merchant (a rebuild marks all of them). */
	void markAll(UUID merchantId, List<UUID> ticketIds, Instant at) {
		jdbc.sql("""
				INSERT INTO analytics_dirty_ticket (ticket_id, merchant_id, generation, marked_at)
				SELECT id, ?, nextval('analytics_dirty_generation'), ? FROM unnest(?::uuid[]) AS t (id)
				ON CONFLICT (ticket_id) DO UPDATE SET generation = EXCLUDED.generation, marked_at = EXCLUDED.marked_at""")
			.params(merchantId, Timestamp.from(at), ticketIds.toArray(UUID[]::new))
			.update();
	}

	/** Up to {@code limit} of the merchant's markers, oldest first. */
	List<Marker> oldest(UUID merchantId, int limit) {
		return jdbc.sql("""
				SELECT ticket_id, generation FROM analytics_dirty_ticket WHERE merchant_id = ?
				ORDER BY marked_at, ticket_id LIMIT ?""")
			.params(merchantId, limit)
			.query((rs, row) -> new Marker(rs.getObject(1, UUID.class), rs.getLong(2)))
			.list();
	}

	/** Removes the markers that still have the generation they were read with. */
	void removeCounted(List<Marker> markers) {
		template.batchUpdate("DELETE FROM analytics_dirty_ticket WHERE ticket_id = ? AND generation = ?", markers, 500,
				(statement, marker) -> {
					statement.setObject(1, marker.ticketId());
					statement.setLong(2, marker.generation());
				});
	}

	boolean any(UUID merchantId) {
		return jdbc.sql("SELECT EXISTS (SELECT 1 FROM analytics_dirty_ticket WHERE merchant_id = ?)")
			.param(merchantId)
			.query(Boolean.class)
			.single();
	}

	/** The merchants with a marker older than {@code before}: stragglers no job of their slice counted. */
	List<UUID> merchantsWithMarkersBefore(Instant before) {
		return jdbc.sql("SELECT DISTINCT merchant_id FROM analytics_dirty_ticket WHERE marked_at < ?")
			.param(Timestamp.from(before))
			.query(UUID.class)
			.list();
	}
}
