package com.acme.helpdesk.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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

	/** A ticket to mark, changed at {@code at}. */
	record Mark(UUID merchantId, UUID ticketId, Instant at) {
	}

	private final JdbcClient jdbc;

	DirtyTickets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Marks the tickets in one statement, row by row in the order given (the order their rows are locked in). */
	void mark(List<Mark> marks) {
		if (marks.isEmpty()) {
			return;
		}
		var tickets = new UUID[marks.size()];
		var merchants = new UUID[marks.size()];
		var times = new String[marks.size()];
		for (int i = 0; i < marks.size(); i++) {
			tickets[i] = marks.get(i).ticketId();
			merchants[i] = marks.get(i).merchantId();
			times[i] = marks.get(i).at().toString();
		}
		jdbc.sql("""
				INSERT INTO analytics_dirty_ticket (ticket_id, merchant_id, generation, marked_at)
				SELECT t, m, nextval('analytics_dirty_generation'), CAST(a AS timestamptz)
				FROM unnest(?::uuid[], ?::uuid[], ?::text[]) WITH ORDINALITY AS mark (t, m, a, n) ORDER BY n
				ON CONFLICT (ticket_id) DO UPDATE SET generation = EXCLUDED.generation, marked_at = EXCLUDED.marked_at""")
			.params(tickets, merchants, times)
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

	/**
	 * Removes the markers that still have the generation they were read with. A marker whose row a transaction holds is
	 * kept without waiting: that transaction is marking the ticket again.
	 */
	void removeCounted(List<Marker> markers) {
		if (markers.isEmpty()) {
			return;
		}
		var tickets = new UUID[markers.size()];
		var generations = new Long[markers.size()];
		for (int i = 0; i < markers.size(); i++) {
			tickets[i] = markers.get(i).ticketId();
			generations[i] = markers.get(i).generation();
		}
		jdbc.sql("""
				DELETE FROM analytics_dirty_ticket d USING (
				    SELECT t.ticket_id FROM analytics_dirty_ticket t
				    JOIN unnest(?::uuid[], ?::bigint[]) AS counted (ticket_id, generation)
				      ON t.ticket_id = counted.ticket_id AND t.generation = counted.generation
				    FOR UPDATE OF t SKIP LOCKED) AS unchanged
				WHERE d.ticket_id = unchanged.ticket_id""")
			.params(tickets, generations)
			.update();
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
