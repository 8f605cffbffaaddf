package com.acme.helpdesk.tickets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to tickets for other modules, always scoped to one merchant. */
@Service
public class Tickets {

	private final TicketRepository tickets;
	private final CategoryRepository categories;
	private final JdbcClient jdbc;

	Tickets(TicketRepository tickets, CategoryRepository categories, JdbcClient jdbc) {
		this.tickets = tickets;
		this.categories = categories;
		this.jdbc = jdbc;
	}

	/** The index of the first id that is not one of the merchant's categories, or -1 when all are. */
	@Transactional(readOnly = true)
	public int firstUnknownCategory(UUID merchantId, java.util.List<UUID> categoryIds) {
		var known = categories.findAllById(categoryIds).stream()
			.filter(c -> merchantId.equals(c.merchantId()))
			.map(Category::id)
			.toList();
		for (int i = 0; i < categoryIds.size(); i++) {
			if (!known.contains(categoryIds.get(i))) {
				return i;
			}
		}
		return -1;
	}

	/** The agent's tickets nobody has started yet (status {@code OPEN}), oldest first. */
	@Transactional(readOnly = true)
	public java.util.List<UUID> notStartedTicketsOf(UUID merchantId, UUID agentId) {
		return tickets.findIdsByMerchantIdAndAssigneeIdAndStatusOrderByCreatedAt(merchantId, agentId, TicketStatus.OPEN);
	}

	/** Read with SQL: every listener asks, and the entity would parse the ticket's JSON columns it does not need. */
	public Optional<TicketSummary> find(UUID merchantId, UUID ticketId) {
		return jdbc.sql(SUMMARY).params(ticketId, merchantId).query(Tickets::summary).optional();
	}

	/** {@link #find} for many tickets of the merchant in one statement; those it does not have are left out. */
	public java.util.List<TicketSummary> findAll(UUID merchantId, java.util.Collection<UUID> ticketIds) {
		if (ticketIds.isEmpty()) {
			return java.util.List.of();
		}
		return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM ticket WHERE id = ANY (?) AND merchant_id = ?")
			.params(ticketIds.toArray(UUID[]::new), merchantId)
			.query(Tickets::summary)
			.list();
	}

	/**
	 * {@link #find}, with the ticket's row locked until the end of the caller's transaction and the routing of its
	 * category ({@code null} when it has none) read in the same statement.
	 */
	Optional<TicketAssignments.LockedTicket> lockWithRouting(UUID merchantId, UUID ticketId) {
		return jdbc.sql("SELECT " + SUMMARY_COLUMNS + """
				,
				       (SELECT routing_strategy FROM category c WHERE c.id = t.category_id AND c.merchant_id = t.merchant_id)
				FROM ticket t WHERE id = ? AND merchant_id = ? FOR UPDATE""")
			.params(ticketId, merchantId)
			.query((row, number) -> new TicketAssignments.LockedTicket(summary(row, number),
					row.getString(16) == null ? null : RoutingStrategy.valueOf(row.getString(16))))
			.optional();
	}

	private static final String SUMMARY_COLUMNS = """
			id, merchant_id, number, subject, status, priority, category_id, tag_ids, assignee_id,
			       requester_email, requester_name, created_at, first_response_at, resolved_at, closed_at""";

	private static final String SUMMARY = "SELECT " + SUMMARY_COLUMNS + " FROM ticket WHERE id = ? AND merchant_id = ?";

	private static TicketSummary summary(ResultSet row, int number) throws SQLException {
		return new TicketSummary(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getLong(3),
				row.getString(4), TicketStatus.valueOf(row.getString(5)), Priority.valueOf(row.getString(6)),
				row.getObject(7, UUID.class), List.of((UUID[]) row.getArray(8).getArray()), row.getObject(9, UUID.class),
				row.getString(10), row.getString(11), instant(row.getTimestamp(12)), instant(row.getTimestamp(13)),
				instant(row.getTimestamp(14)), instant(row.getTimestamp(15)));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}
}
