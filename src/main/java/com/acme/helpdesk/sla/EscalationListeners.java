package com.acme.helpdesk.sla;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.JobDispatcher;

/**
 * Hands a sweep's breaches to escalation: one {@code escalation-batch} job per {@link EscalationsOpened}, written in
 * the sweep's transaction (the job row is the outbox record), its id derived from the event.
 */
@Component
class EscalationListeners {

	static final String ESCALATE_BREACHES = "sla.escalate-breaches";

	private final JobDispatcher dispatcher;

	EscalationListeners(JobDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(EscalationsOpened event) {
		dispatcher.publish(EscalationJob.batch(event.merchantId(), event.ticketIds())
			.derivedFrom(ESCALATE_BREACHES, event.eventId()));
	}
}
