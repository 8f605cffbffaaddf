package com.acme.helpdesk.tickets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a ticket went through, for recounting it (analytics): its row, its history (status, assignee and priority
 * changes in order) and its messages, read in batch for many tickets of one merchant.
 */
@Service
public class TicketTimelines {

	/** A ticket as it is now, with every change since its creation (ordered) and its messages (by time). */
	public record TicketTimeline(UUID ticketId, Instant createdAt, UUID categoryId, List<UUID> tagIds,
			Priority priority, TicketStatus status, UUID assigneeId, List<Change> changes, List<Message> messages) {
	}

	/** One change of a ticket, as the ticket's version {@code ticketVersion} committed it. */
	public sealed interface Change {

		long ticketVersion();

		Instant at();
	}

	public record StatusChange(long ticketVersion, Instant at, TicketStatus from, TicketStatus to) implements Change {
	}

	/** An assignment ({@code to} set) or an unassignment ({@code to == null}). */
	public record AssigneeChange(long ticketVersion, Instant at, UUID from, UUID to) implements Change {
	}

	public record PriorityChange(long ticketVersion, Instant at, Priority from, Priority to) implements Change {
	}

	public record Message(Instant at, AuthorType authorType, boolean internal) {
	}

	private final JdbcClient jdbc;

	TicketTimelines(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The timelines of those of {@code ticketIds} that are the merchant's tickets, in no particular order. */
	@Transactional(readOnly = true)
	public List<TicketTimeline> of(UUID merchantId, Collection<UUID> ticketIds) {
		if (ticketIds.isEmpty()) {
			return List.of();
		}
		var ids = ticketIds.toArray(UUID[]::new);
		var changes = new HashMap<UUID, List<Change>>();
		jdbc.sql("""
				SELECT ticket_id, ticket_version, occurred_at, kind, from_value, to_value FROM ticket_history
				WHERE ticket_id = ANY (?) AND merchant_id = ? ORDER BY ticket_id, ticket_version, id""")
			.params(ids, merchantId)
			.query(rs -> {
				changes.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(change(rs));
			});
		var messages = new HashMap<UUID, List<Message>>();
		jdbc.sql("""
				SELECT ticket_id, created_at, author_type, internal FROM ticket_message
				WHERE ticket_id = ANY (?) AND merchant_id = ? ORDER BY ticket_id, created_at, id""")
			.params(ids, merchantId)
			.query(rs -> {
				messages.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
					.add(new Message(instant(rs, 2), AuthorType.valueOf(rs.getString(3)), rs.getBoolean(4)));
			});
		return jdbc.sql("""
				SELECT id, created_at, category_id, tag_ids, priority, status, assignee_id FROM ticket
				WHERE id = ANY (?) AND merchant_id = ?""")
			.params(ids, merchantId)
			.query((rs, row) -> {
				var id = rs.getObject(1, UUID.class);
				return new TicketTimeline(id, instant(rs, 2), rs.getObject(3, UUID.class),
						List.of((UUID[]) rs.getArray(4).getArray()), Priority.valueOf(rs.getString(5)),
						TicketStatus.valueOf(rs.getString(6)), rs.getObject(7, UUID.class),
						List.copyOf(changes.getOrDefault(id, List.of())),
						List.copyOf(messages.getOrDefault(id, List.of())));
			})
			.list();
	}

	/** A page of the merchant's ticket ids, in id order, after {@code after} ({@code null} for the first page). */
	@Transactional(readOnly = true)
	public List<UUID> ticketIds(UUID merchantId, UUID after, int limit) {
		return jdbc.sql("""
				SELECT id FROM ticket WHERE merchant_id = ? AND id > ? ORDER BY id LIMIT ?""")
			.params(merchantId, after == null ? new UUID(0, 0) : after, limit)
			.query(UUID.class)
			.list();
	}

	private static Change change(ResultSet rs) throws SQLException {
		long version = rs.getLong(2);
		var at = instant(rs, 3);
		var from = rs.getString(5);
		var to = rs.getString(6);
		return switch (TicketHistory.Kind.valueOf(rs.getString(4))) {
			case STATUS -> new StatusChange(version, at, TicketStatus.valueOf(from), TicketStatus.valueOf(to));
			case ASSIGNED, UNASSIGNED -> new AssigneeChange(version, at, uuid(from), uuid(to));
			case PRIORITY -> new PriorityChange(version, at, Priority.valueOf(from), Priority.valueOf(to));
		};
	}

	private static UUID uuid(String value) {
		return value == null ? null : UUID.fromString(value);
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		var value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}
}
