package com.acme.helpdesk.tickets;

import java.util.ArrayList;
import java.util.List;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.AssignmentJob;
import com.acme.helpdesk.jobs.ContextEnrichmentJob;
import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.shared.DeliveredInBatches;

/**
 * What the tickets module does once a ticket is created (SPEC section 4): counts it in its category and tags, and
 * enqueues its {@code enrich} job (when it has context) and its {@code assign} job (when its category routes
 * automatically). One listener, so one publication for all of it. Idempotent: the counts remember the tickets they
 * counted, and the jobs' ids derive from the event, so a replay enqueues nothing new.
 */
@Component
class NewTicketFollowUp {

	static final String LISTENER_ID = "tickets.on-ticket-created";

	private final TicketCounts counts;
	private final JobDispatcher dispatcher;

	NewTicketFollowUp(TicketCounts counts, JobDispatcher dispatcher) {
		this.counts = counts;
		this.dispatcher = dispatcher;
	}

	@DeliveredInBatches
	@ApplicationModuleListener(id = LISTENER_ID)
	void on(TicketCreated event) {
		var jobs = new ArrayList<Dispatch<?>>(2);
		if (event.hasContext()) {
			jobs.add(ContextEnrichmentJob.enrich(event.merchantId(), event.ticketId()).derivedFrom(LISTENER_ID, event.eventId()));
		}
		if (event.categoryRouting() != null && event.categoryRouting().isAutomatic()) {
			jobs.add(AssignmentJob.assign(event.merchantId(), event.ticketId()).derivedFrom(LISTENER_ID, event.eventId()));
		}
		if (!jobs.isEmpty()) {
			dispatcher.publishAll(List.copyOf(jobs));
		}
		// last: the count rows it increments stay locked until this transaction commits
		counts.count(event);
	}
}
