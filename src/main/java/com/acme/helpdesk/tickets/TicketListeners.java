package com.acme.helpdesk.tickets;

import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.shared.DeliveredInBatches;

/**
 * What the tickets module does once a ticket is created (SPEC section 4): enqueues its {@code enrich} job when it has
 * context, in the creating transaction (the job row is the outbox record: it commits with the ticket or not at all),
 * and, after the commit, counts it in its category and tags (idempotent: the counts remember the tickets they counted).
 */
@Component
class TicketListeners {

	static final String ENQUEUE_ENRICHMENT = "tickets.enqueue-enrichment";
	static final String COUNT_TICKET = "tickets.count-ticket";

	private final TicketCounts counts;
	private final JobDispatcher dispatcher;

	TicketListeners(TicketCounts counts, JobDispatcher dispatcher) {
		this.counts = counts;
		this.dispatcher = dispatcher;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void enqueueEnrichment(TicketCreated event) {
		if (event.hasContext()) {
			dispatcher.publish(ContextEnrichmentJob.enrich(event.merchantId(), event.ticketId())
				.derivedFrom(ENQUEUE_ENRICHMENT, event.eventId()));
		}
	}

	@DeliveredInBatches
	@ApplicationModuleListener(id = COUNT_TICKET)
	void count(TicketCreated event) {
		counts.count(event);
	}
}
