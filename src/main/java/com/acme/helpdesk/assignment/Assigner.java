package com.acme.helpdesk.assignment;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.tickets.AssignmentReason;
import com.acme.helpdesk.tickets.RoutingStrategy;
import com.acme.helpdesk.tickets.TicketAssignments;

/**
 * Picks an agent and takes one unit of their capacity with a compare-and-set in the database
 * ({@code load < capacity}), so no agent ever goes over capacity however many assignments run at once.
 * Assignments of one category are serialized by a transaction-scoped advisory lock, which keeps load
 * balancing and the round-robin rotation exact.
 */
@Component
class Assigner {

	record Candidate(UUID id, int load, int capacity, java.time.Instant lastAssignedAt) {
	}

	private final JdbcClient jdbc;
	private final TicketAssignments ticketAssignments;
	private final Clock clock;

	Assigner(JdbcClient jdbc, TicketAssignments ticketAssignments, Clock clock) {
		this.jdbc = jdbc;
		this.ticketAssignments = ticketAssignments;
		this.clock = clock;
	}

	/** Assigns the ticket to an eligible agent of its category; answers the agent, or empty when none has room. */
	@Transactional(propagation = Propagation.MANDATORY)
	Optional<UUID> assign(UUID merchantId, UUID ticketId, UUID categoryId, RoutingStrategy strategy, UUID excludedAgentId,
			String reasonStrategy) {
		lockCategory(merchantId, categoryId);
		for (int attempt = 0; attempt < 5; attempt++) {
			var candidates = candidates(merchantId, categoryId, excludedAgentId);
			if (candidates.isEmpty()) {
				return Optional.empty();
			}
			var chosen = strategy == RoutingStrategy.ROUND_ROBIN ? nextInRotation(categoryId, candidates)
					: leastLoaded(candidates);
			if (takeCapacity(chosen.id())) {
				ticketAssignments.assign(merchantId, ticketId, chosen.id(),
						new AssignmentReason(reasonStrategy, chosen.load(), chosen.capacity(), null));
				if (strategy == RoutingStrategy.ROUND_ROBIN) {
					remember(merchantId, categoryId, chosen.id());
				}
				return Optional.of(chosen.id());
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
		jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
			.param("assignment:" + merchantId + ":" + categoryId)
			.query()
			.singleValue();
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

	/** Online agents serving the category with room, in the order of their creation. */
	private List<Candidate> candidates(UUID merchantId, UUID categoryId, UUID excludedAgentId) {
		return jdbc.sql("""
				SELECT id, load, capacity, last_assigned_at FROM agent
				WHERE merchant_id = :merchant AND availability = 'ONLINE' AND :category = ANY (category_ids)
				  AND load < capacity AND id IS DISTINCT FROM :excluded
				ORDER BY created_at, id""")
			.param("merchant", merchantId)
			.param("category", categoryId)
			.param("excluded", excludedAgentId, java.sql.Types.OTHER)
			.query((rs, row) -> {
				var lastAssigned = rs.getTimestamp(4);
				return new Candidate(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3),
						lastAssigned == null ? null : lastAssigned.toInstant());
			})
			.list();
	}

	/** The lowest load relative to capacity; ties go to the one who waited longest since their last assignment. */
	private static Candidate leastLoaded(List<Candidate> candidates) {
		return candidates.stream()
			.min(Comparator.<Candidate>comparingDouble(c -> (double) c.load() / c.capacity())
				.thenComparing(Candidate::lastAssignedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
			.orElseThrow();
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

	private boolean takeCapacity(UUID agentId) {
		return jdbc.sql("""
				UPDATE agent SET load = load + 1, last_assigned_at = ?
				WHERE id = ? AND availability = 'ONLINE' AND load < capacity""")
			.params(Timestamp.from(clock.instant()), agentId)
			.update() == 1;
	}

	private void remember(UUID merchantId, UUID categoryId, UUID agentId) {
		jdbc.sql("""
				INSERT INTO category_rotation (category_id, merchant_id, last_agent_id) VALUES (?, ?, ?)
				ON CONFLICT (category_id) DO UPDATE SET last_agent_id = excluded.last_agent_id""")
			.params(categoryId, merchantId, agentId)
			.update();
	}
}
