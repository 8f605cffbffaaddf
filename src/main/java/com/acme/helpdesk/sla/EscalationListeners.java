package com.acme.helpdesk.sla;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.EscalationJob;
import com.acme.helpdesk.jobs.JobDispatcher;

/**
 * Hands a sweep's breaches to escalation after the sweep committed: one {@code escalation-batch} job per
 * {@link EscalationsOpened}, its id derived from the event, so a replay makes no second job.
 */
@Component
class EscalationListeners {

	static final String ESCALATE_BREACHES = "sla.escalate-breaches";

	private final JobDispatcher dispatcher;

	EscalationListeners(JobDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	@ApplicationModuleListener(id = ESCALATE_BREACHES)
	void on(EscalationsOpened event) {
		dispatcher.publish(EscalationJob.batch(event.merchantId(), event.ticketIds())
			.derivedFrom(ESCALATE_BREACHES, event.eventId()));
	}
}
