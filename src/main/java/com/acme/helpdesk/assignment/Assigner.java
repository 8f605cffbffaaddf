package com.acme.helpdesk.assignment;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;

import com.acme.helpdesk.shared.TransactionCollectors;
import com.acme.helpdesk.tickets.AssignmentReason;
import com.acme.helpdesk.tickets.RoutingStrategy;
import com.acme.helpdesk.tickets.TicketAssignments;
import com.acme.helpdesk.tickets.TicketAssignments.LockedTicket;

/**
 * Picks an agent and takes one unit of their capacity with a compare-and-set in the database
 * ({@code load < capacity}), so no agent ever goes over capacity however many assignments run at once.
 * Assignments of one category are serialized by a transaction-scoped advisory lock, which keeps load
 * balancing and the round-robin rotation exact.
 */
@Component
class Assigner {

	record Candidate(UUID id, int load, int capacity) {
	}

	private final JdbcClient jdbc;
	private final TicketAssignments ticketAssignments;
	private final Clock clock;

	Assigner(JdbcClient jdbc, TicketAssignments ticketAssignments, Clock clock) {
		this.jdbc = jdbc;
		this.ticketAssignments = ticketAssignments;
		this.clock = clock;
	}

	/**
	 * Assigns the ticket to an eligible agent of its category; answers the agent, or empty when none has room. The
	 * ticket that gets an agent leaves the waiting list in the same statement.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	Optional<UUID> assign(LockedTicket ticket, RoutingStrategy strategy, UUID excludedAgentId, String reasonStrategy) {
		var merchantId = ticket.ticket().merchantId();
		var categoryId = ticket.ticket().categoryId();
		lockCategory(merchantId, categoryId);
		for (int attempt = 0; attempt < 5; attempt++) {
			var taken = strategy == RoutingStrategy.ROUND_ROBIN
					? takeNextInRotation(ticket.ticket().id(), merchantId, categoryId, excludedAgentId)
					: takeLeastLoaded(ticket.ticket().id(), merchantId, categoryId, excludedAgentId);
			if (taken == NOBODY) {
				return Optional.empty();
			}
			if (taken != LOST_RACE) {
				ticketAssignments.assign(ticket, taken.id(),
						new AssignmentReason(reasonStrategy, taken.load(), taken.capacity(), null));
				if (strategy == RoutingStrategy.ROUND_ROBIN) {
					remember(merchantId, categoryId, taken.id());
				}
				return Optional.of(taken.id());
			}
		}
		return Optional.empty();
	}

	/**
	 * Takes the category's assignment lock until the end of the transaction. Whoever lowers an agent's load or
	 * looks for waiting tickets to drain takes it too, so a ticket an assignment is putting on the waiting list
	 * (not yet committed) cannot be missed by a drain that runs meanwhile: the drain waits for that commit.
	 */
	void lockCategory(UUID merchantId, UUID categoryId) {
		var key = "assignment:" + merchantId + ":" + categoryId;
		if (!CategoryLocksHeld.ofThisTransaction().add(key)) {
			return; // held until the end of the transaction: jobs sharing one take it once
		}
		jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").param(key).query().singleValue();
	}

	/** The category locks this transaction holds. */
	private static final class CategoryLocksHeld implements TransactionSynchronization {

		private final Set<String> keys = new HashSet<>();

		static Set<String> ofThisTransaction() {
			return TransactionCollectors.ofThisTransaction(CategoryLocksHeld.class, held -> true, CategoryLocksHeld::new).keys;
		}
	}

	/**
	 * Takes the assignment locks of the categories the agents serve, all in one order, so two callers never wait for
	 * each other's locks. Lock these before touching the agents' rows: assignments take the category lock first.
	 */
	void lockCategoriesOf(UUID merchantId, UUID... agentIds) {
		jdbc.sql("""
				SELECT DISTINCT category FROM agent CROSS JOIN unnest(category_ids) AS category
				WHERE id = ANY (?) AND merchant_id = ? ORDER BY category""")
			.params(agentIds, merchantId)
			.query(UUID.class)
			.list()
			.forEach(category -> lockCategory(merchantId, category));
	}

	private static final Candidate NOBODY = new Candidate(null, 0, 0);
	private static final Candidate LOST_RACE = new Candidate(null, 0, 0);

	/**
	 * Takes one unit of capacity of the online agent serving the category with the lowest load relative to capacity
	 * (ties: the one who waited longest since their last assignment, then the oldest), in one statement: answers
	 * {@link #NOBODY} when no agent has room, {@link #LOST_RACE} when the chosen one changed meanwhile.
	 */
	private Candidate takeLeastLoaded(UUID ticketId, UUID merchantId, UUID categoryId, UUID excludedAgentId) {
		return jdbc.sql("""
				WITH chosen AS (
				    SELECT id FROM agent
				    WHERE merchant_id = :merchant AND availability = 'ONLINE' AND :category = ANY (category_ids)
				      AND load < capacity AND id IS DISTINCT FROM :excluded
				    ORDER BY load::float8 / capacity, last_assigned_at NULLS FIRST, created_at, id
				    LIMIT 1),
				""" + TAKE + """
				SELECT (SELECT id FROM chosen), taken.id, taken.load, taken.capacity
				FROM (SELECT 1) AS one LEFT JOIN taken ON true""")
			.param("merchant", merchantId)
			.param("category", categoryId)
			.param("excluded", excludedAgentId, java.sql.Types.OTHER)
			.param("now", Timestamp.from(clock.instant()))
			.param("ticket", ticketId)
			.query((rs, row) -> rs.getObject(1) == null ? NOBODY
					: rs.getObject(2) == null ? LOST_RACE
					: new Candidate(rs.getObject(2, UUID.class), rs.getInt(3), rs.getInt(4)))
			.single();
	}

	/** Takes one unit of capacity of the next agent with room in the category's rotation; as {@link #takeLeastLoaded}. */
	private Candidate takeNextInRotation(UUID ticketId, UUID merchantId, UUID categoryId, UUID excludedAgentId) {
		var candidates = candidates(merchantId, categoryId, excludedAgentId);
		if (candidates.isEmpty()) {
			return NOBODY;
		}
		var next = nextInRotation(categoryId, candidates);
		return jdbc.sql("WITH chosen AS (SELECT CAST(:agent AS uuid) AS id),\n" + TAKE
				+ "SELECT taken.id, taken.load, taken.capacity FROM taken")
			.param("agent", next.id())
			.param("now", Timestamp.from(clock.instant()))
			.param("ticket", ticketId)
			.query((rs, row) -> new Candidate(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3)))
			.optional()
			.orElse(LOST_RACE);
	}

	/**
	 * The unit of capacity taken from the agent {@code chosen} names with a compare-and-set ({@code load < capacity}),
	 * and the ticket {@code :ticket} off the waiting list when it was taken.
	 */
	private static final String TAKE = """
			taken AS (
			    UPDATE agent SET load = load + 1, last_assigned_at = :now
			    WHERE id = (SELECT id FROM chosen) AND availability = 'ONLINE' AND load < capacity
			    RETURNING id, load - 1 AS load, capacity),
			left_waiting AS (
			    DELETE FROM assignment_waiting WHERE ticket_id = :ticket AND EXISTS (SELECT FROM taken))
			""";

	/** Online agents serving the category with room, in the order of their creation. */
	private List<Candidate> candidates(UUID merchantId, UUID categoryId, UUID excludedAgentId) {
		return jdbc.sql("""
				SELECT id, load, capacity FROM agent
				WHERE merchant_id = :merchant AND availability = 'ONLINE' AND :category = ANY (category_ids)
				  AND load < capacity AND id IS DISTINCT FROM :excluded
				ORDER BY created_at, id""")
			.param("merchant", merchantId)
			.param("category", categoryId)
			.param("excluded", excludedAgentId, java.sql.Types.OTHER)
			.query((rs, row) -> new Candidate(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3)))
			.list();
	}

	private Candidate nextInRotation(UUID categoryId, List<Candidate> candidates) {
		var last = jdbc.sql("SELECT last_agent_id FROM category_rotation WHERE category_id = ?")
			.param(categoryId)
			.query(UUID.class)
			.optional();
		if (last.isEmpty()) {
			return candidates.get(0);
		}
		var order = jdbc.sql("SELECT id FROM agent WHERE id = ? OR id = ANY (?) ORDER BY created_at, id")
			.params(last.get(), candidates.stream().map(Candidate::id).toArray(UUID[]::new))
			.query(UUID.class)
			.list();
		var position = order.indexOf(last.get());
		for (int i = 1; i <= order.size(); i++) {
			var next = order.get((position + i) % order.size());
			var candidate = candidates.stream().filter(c -> c.id().equals(next)).findFirst();
			if (candidate.isPresent()) {
				return candidate.get();
			}
		}
		return candidates.get(0);
	}

	private void remember(UUID merchantId, UUID categoryId, UUID agentId) {
		jdbc.sql("""
				INSERT INTO category_rotation (category_id, merchant_id, last_agent_id) VALUES (?, ?, ?)
				ON CONFLICT (category_id) DO UPDATE SET last_agent_id = excluded.last_agent_id""")
			.params(categoryId, merchantId, agentId)
			.update();
	}
}
