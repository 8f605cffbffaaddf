package com.acme.helpdesk.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.shared.ProcessedEvents;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketAssignments;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.acme.helpdesk.tickets.TicketUnassigned;
import com.acme.helpdesk.tickets.Tickets;

/**
 * Reacts to tickets and agents: enqueues the {@code assign} job of a new ticket of an automatically routed category
 * and of a ticket returned to the pool (in the publishing transaction), keeps agents' loads for manual assignments and
 * resolved, closed or reopened tickets, and hands waiting tickets to agents who get room (after commit, each recording
 * its event in {@link ProcessedEvents} first, so a replay changes nothing; jobs derived from an event have
 * deterministic ids, so a replay enqueues nothing new).
 */
@Component
class AssignmentListeners {

	static final String ON_TICKET_ASSIGNED = "assignment.count-manual-assignment";
	static final String ON_TICKET_ASSIGNED_CONDITION = "#event.strategy() == 'MANUAL' or #event.previousAgentId() != null";
	static final String ON_STATUS_CHANGED = "assignment.release-load";
	static final String ENQUEUE_ASSIGNMENT = "assignment.enqueue-assignment";
	static final String ON_TICKET_UNASSIGNED = "assignment.reassign-returned-ticket";
	static final String ON_AGENT_CHANGED = "assignment.rebalance-changed-agent";

	private final JobDispatcher dispatcher;
	private final ProcessedEvents processed;
	private final JdbcClient jdbc;
	private final WaitingTickets waiting;
	private final Tickets tickets;
	private final TicketAssignments ticketAssignments;
	private final MerchantSettingsStore settings;
	private final Assigner assigner;

	AssignmentListeners(JobDispatcher dispatcher, ProcessedEvents processed, JdbcClient jdbc, WaitingTickets waiting,
			Tickets tickets, TicketAssignments ticketAssignments, MerchantSettingsStore settings, Assigner assigner) {
		this.assigner = assigner;
		this.dispatcher = dispatcher;
		this.processed = processed;
		this.jdbc = jdbc;
		this.waiting = waiting;
		this.tickets = tickets;
		this.ticketAssignments = ticketAssignments;
		this.settings = settings;
	}

	/**
	 * Automatic assignments and reassignments moved the load already; a person's choice is counted here. Whoever
	 * a ticket left has room again for the tickets waiting in their categories. A first automatic assignment leaves
	 * nothing to do, so the condition keeps it from getting a publication (and a transaction) at all.
	 */
	@ApplicationModuleListener(id = ON_TICKET_ASSIGNED, condition = ON_TICKET_ASSIGNED_CONDITION)
	void on(TicketAssigned event) {
		if (!"MANUAL".equals(event.strategy())) {
			if (event.previousAgentId() != null) {
				assigner.lockCategoriesOf(event.merchantId(), event.previousAgentId());
				drain(event.merchantId(), event.previousAgentId(), event.eventId());
			}
			return;
		}
		if (!processed.firstDelivery(ON_TICKET_ASSIGNED, event.eventId())) {
			return;
		}
		var active = tickets.find(event.merchantId(), event.ticketId()).map(t -> t.status().isActive()).orElse(false);
		if (!active) {
			return;
		}
		if (event.previousAgentId() == null) {
			changeLoad(event.agentId(), +1);
			waiting.remove(event.ticketId());
			return;
		}
		// a reassignment the other way round runs at the same time: both take the two agents' locks in one order
		assigner.lockCategoriesOf(event.merchantId(), event.agentId(), event.previousAgentId());
		if (event.agentId().compareTo(event.previousAgentId()) < 0) {
			changeLoad(event.agentId(), +1);
			changeLoad(event.previousAgentId(), -1);
		}
		else {
			changeLoad(event.previousAgentId(), -1);
			changeLoad(event.agentId(), +1);
		}
		waiting.remove(event.ticketId());
		drain(event.merchantId(), event.previousAgentId(), event.eventId());
	}

	@ApplicationModuleListener(id = ON_STATUS_CHANGED)
	void on(TicketStatusChanged event) {
		if (!processed.firstDelivery(ON_STATUS_CHANGED, event.eventId())) {
			return;
		}
		if (!event.to().isActive()) {
			waiting.remove(event.ticketId());
		}
		if (event.assigneeId() == null || event.from().isActive() == event.to().isActive()) {
			return;
		}
		if (event.to().isActive()) {
			changeLoad(event.assigneeId(), +1);
		}
		else {
			assigner.lockCategoriesOf(event.merchantId(), event.assigneeId());
			changeLoad(event.assigneeId(), -1);
			drain(event.merchantId(), event.assigneeId(), event.eventId());
		}
	}

	/** In the creating transaction: the {@code assign} job commits with the ticket (its row is the outbox record). */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void enqueueAssignment(TicketCreated event) {
		if (event.categoryRouting() != null && event.categoryRouting().isAutomatic()) {
			dispatcher.publish(AssignmentJob.assign(event.merchantId(), event.ticketId())
				.derivedFrom(ENQUEUE_ASSIGNMENT, event.eventId()));
		}
	}

	/** In the returning transaction, like {@link #enqueueAssignment}. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketUnassigned event) {
		dispatcher.publish(AssignmentJob.assign(event.merchantId(), event.ticketId())
			.derivedFrom(ON_TICKET_UNASSIGNED, event.eventId()));
	}

	@ApplicationModuleListener(id = ON_AGENT_CHANGED)
	void on(AgentChanged event) {
		if (!processed.firstDelivery(ON_AGENT_CHANGED, event.eventId())) {
			return;
		}
		assigner.lockCategoriesOf(event.merchantId(), event.agentId());
		if (event.availability() == Availability.OFFLINE && event.previousAvailability() != null
				&& event.previousAvailability() != Availability.OFFLINE
				&& settings.of(event.merchantId()).returnTicketsOfOfflineAgents()) {
			for (var ticketId : tickets.notStartedTicketsOf(event.merchantId(), event.agentId())) {
				if (ticketAssignments.returnToPool(event.merchantId(), ticketId, event.agentId(), "agent went offline")) {
					changeLoad(event.agentId(), -1);
				}
			}
		}
		drain(event.merchantId(), event.agentId(), event.eventId());
	}

	private void changeLoad(UUID agentId, int delta) {
		jdbc.sql("UPDATE agent SET load = greatest(load + ?, 0) WHERE id = ?").params(delta, agentId).update();
	}

	/**
	 * Enqueues the assignment of the waiting tickets of the agent's categories, when the agent has room. The caller
	 * holds the categories' assignment locks ({@link Assigner#lockCategoriesOf}, taken before any change to the
	 * agent's row): an assignment that found no room and is adding its ticket to the waiting list commits first, so
	 * its ticket is seen here; the enqueued jobs wait for this transaction's load change the same way.
	 */
	private void drain(UUID merchantId, UUID agentId, UUID eventId) {
		var room = jdbc.sql("SELECT capacity - load FROM agent WHERE id = ? AND merchant_id = ? AND availability = 'ONLINE'")
			.params(agentId, merchantId)
			.query(Integer.class)
			.optional()
			.orElse(0);
		if (room <= 0) {
			return;
		}
		List<Dispatch<?>> jobs = new ArrayList<>();
		for (var categoryId : waiting.categoriesWaitingFor(merchantId, agentId)) {
			jobs.add(AssignWaitingJob.assignWaiting(merchantId, categoryId).derivedFrom("assignment.drain", eventId, categoryId));
		}
		if (!jobs.isEmpty()) {
			dispatcher.publishAll(jobs);
		}
	}
}
