package com.acme.helpdesk.surveys;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;

/**
 * A ticket resolved or closed gets a {@code survey-trigger} job after the merchant's survey delay, enqueued in the
 * transaction that changes the status (the job row is the outbox record). A later resolution makes its own job, which
 * finds the ticket's one survey and adds none.
 */
@Component
class SurveyTriggers {

	static final String LISTENER_ID = "surveys.enqueue-survey-trigger";

	private final JobDispatcher dispatcher;
	private final MerchantSettingsStore settings;

	SurveyTriggers(JobDispatcher dispatcher, MerchantSettingsStore settings) {
		this.dispatcher = dispatcher;
		this.settings = settings;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketStatusChanged event) {
		if (event.to() != TicketStatus.RESOLVED && event.to() != TicketStatus.CLOSED) {
			return;
		}
		var delay = settings.of(event.merchantId()).surveyDelay();
		dispatcher.publish(SurveyTriggerJob.triggerAfter(event.merchantId(), event.ticketId(), delay)
			.derivedFrom(LISTENER_ID, event.ticketId(), event.eventId()));
	}
}
