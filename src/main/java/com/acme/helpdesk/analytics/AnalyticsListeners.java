package com.acme.helpdesk.analytics;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaClockStopped;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.surveys.SurveyAnswered;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketPriorityChanged;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.acme.helpdesk.tickets.TicketUnassigned;

/**
 * Every event that changes a figure marks its ticket dirty and publishes the {@code analytics-update} job of its
 * merchant and 2-second slice, in the publishing transaction (the marker and the job row commit with the change, or
 * neither does; no event publication is recorded). Cheap on purpose: one upsert, and one job insert that is skipped
 * when the slice's job exists, so a flood of events makes one job per merchant per slice. The recount reads the
 * sources, so the events carry nothing else it needs. {@code SlaWarning} feeds no figure.
 */
@Component
class AnalyticsListeners {

	private final DirtyTickets dirty;
	private final JobDispatcher dispatcher;
	private final AnalyticsProperties properties;
	private final Clock clock;

	AnalyticsListeners(DirtyTickets dirty, JobDispatcher dispatcher, AnalyticsProperties properties, Clock clock) {
		this.dirty = dirty;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketCreated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketStatusChanged event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketAssigned event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketUnassigned event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketPriorityChanged event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketMessageCreated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SlaClockStopped event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SlaBreached event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketEscalated event) {
		changed(event.merchantId(), event.ticketId());
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SurveyAnswered event) {
		changed(event.merchantId(), event.ticketId());
	}

	private void changed(UUID merchantId, UUID ticketId) {
		if (!properties.enabled()) {
			return;
		}
		var now = clock.instant();
		dirty.mark(merchantId, ticketId, now);
		dispatcher.publish(AnalyticsUpdateJob.forSlice(merchantId, now));
	}
}
