package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.tickets.TicketAssignments;

/**
 * The {@code assign} job: gives a ticket of an automatically routed category to an agent by the category's
 * strategy, or leaves it waiting when nobody has room. A ticket that has an assignee, or is resolved or
 * closed, is left alone, so running the job again changes nothing.
 */
@Component
class AutoAssignTicket implements JobWorker<AssignmentJob> {

	private final TicketAssignments ticketAssignments;
	private final Assigner assigner;
	private final WaitingTickets waiting;

	AutoAssignTicket(TicketAssignments ticketAssignments, Assigner assigner, WaitingTickets waiting) {
		this.ticketAssignments = ticketAssignments;
		this.assigner = assigner;
		this.waiting = waiting;
	}

	@Override
	public Class<AssignmentJob> jobType() {
		return AssignmentJob.class;
	}

	/** Assignments share transactions (and so one hold of their category's lock), ordered by ticket. */
	@Override
	public Optional<UUID> sharedTransactionKey(AssignmentJob job) {
		return Optional.of(job.ticketId());
	}

	@Override
	@Transactional
	public void run(AssignmentJob job, JobRun run) {
		assign(job.merchantId(), job.ticketId());
	}

	Optional<UUID> assign(UUID merchantId, UUID ticketId) {
		var locked = ticketAssignments.lockForAssignment(merchantId, ticketId)
			.orElseThrow(() -> new InvalidJobArgumentsException("merchant %s has no ticket %s".formatted(merchantId, ticketId)));
		var ticket = locked.ticket();
		if (ticket.assigneeId() != null || !ticket.status().isActive() || ticket.categoryId() == null) {
			waiting.remove(ticketId);
			return Optional.empty();
		}
		var routing = locked.categoryRouting();
		if (!routing.isAutomatic()) {
			return Optional.empty();
		}
		var agent = assigner.assign(locked, routing, null, routing.name());
		if (agent.isEmpty()) {
			waiting.add(merchantId, ticketId, ticket.categoryId(), ticket.createdAt());
		}
		return agent;
	}
}
