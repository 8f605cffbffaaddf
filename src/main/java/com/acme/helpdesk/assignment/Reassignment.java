package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.tickets.RoutingStrategy;
import com.acme.helpdesk.tickets.TicketAssignments;

/** Gives a ticket to another eligible agent (escalation's {@code REASSIGN}), within capacity. */
@Service
public class Reassignment {

	static final String STRATEGY = "ESCALATION_REASSIGN";

	private final TicketAssignments ticketAssignments;
	private final Assigner assigner;
	private final JdbcClient jdbc;

	Reassignment(TicketAssignments ticketAssignments, Assigner assigner, JdbcClient jdbc) {
		this.ticketAssignments = ticketAssignments;
		this.assigner = assigner;
		this.jdbc = jdbc;
	}

	/**
	 * Assigns the ticket to the least loaded other online agent of its category with room; answers the new
	 * agent, or empty when there is none (the ticket stays where it is).
	 */
	@Transactional
	public Optional<UUID> reassign(UUID merchantId, UUID ticketId, UUID excludedAgentId) {
		var locked = ticketAssignments.lockForAssignment(merchantId, ticketId).orElse(null);
		var ticket = locked == null ? null : locked.ticket();
		if (ticket == null || ticket.categoryId() == null || !ticket.status().isActive()) {
			return Optional.empty();
		}
		var agent = assigner.assign(locked, RoutingStrategy.LOAD_BALANCED, excludedAgentId, STRATEGY);
		if (agent.isPresent() && ticket.assigneeId() != null) {
			jdbc.sql("UPDATE agent SET load = greatest(load - 1, 0) WHERE id = ?").param(ticket.assigneeId()).update();
		}
		return agent;
	}
}
