package com.acme.helpdesk.tickets;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import com.acme.helpdesk.jobs.JobDispatcher;

/**
 * What the tickets module does once a ticket is created (docs/architecture.md, "Events"), all in the creating transaction, so it
 * commits with the ticket or not at all and needs no event publication: enqueues its {@code enrich} job when it has
 * context (the job row is the outbox record) and counts it in its category and tags.
 */
@Component
class TicketListeners {

	static final String ENQUEUE_ENRICHMENT = "tickets.enqueue-enrichment";

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

	/**
	 * Just before the creating transaction commits, so the count rows it increments stay locked only for the commit
	 * (concurrent creations increment them too).
	 */
	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
	void count(TicketCreated event) {
		counts.count(event);
	}
}
