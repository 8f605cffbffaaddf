package com.acme.helpdesk.analytics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;

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
 * Records every event the analytics listeners take, as published (a test bean), and delivers a recorded event to
 * them again in a transaction of its own: what a replay of the event does to analytics.
 */
class RecordedEvents {

	private final List<Object> events = new CopyOnWriteArrayList<>();

	List<Object> all() {
		return List.copyOf(events);
	}

	void replay(Object event, AnalyticsListeners listeners, TransactionTemplate transactions) {
		transactions.executeWithoutResult(status -> {
			if (event instanceof TicketCreated e) {
				listeners.on(e);
			}
			else if (event instanceof TicketStatusChanged e) {
				listeners.on(e);
			}
			else if (event instanceof TicketAssigned e) {
				listeners.on(e);
			}
			else if (event instanceof TicketUnassigned e) {
				listeners.on(e);
			}
			else if (event instanceof TicketPriorityChanged e) {
				listeners.on(e);
			}
			else if (event instanceof TicketMessageCreated e) {
				listeners.on(e);
			}
			else if (event instanceof SlaClockStopped e) {
				listeners.on(e);
			}
			else if (event instanceof SlaBreached e) {
				listeners.on(e);
			}
			else if (event instanceof TicketEscalated e) {
				listeners.on(e);
			}
			else if (event instanceof SurveyAnswered e) {
				listeners.on(e);
			}
			else {
				throw new IllegalArgumentException("no analytics listener takes " + event);
			}
		});
	}

	@EventListener
	void on(TicketCreated event) {
		events.add(event);
	}

	@EventListener
	void on(TicketStatusChanged event) {
		events.add(event);
	}

	@EventListener
	void on(TicketAssigned event) {
		events.add(event);
	}

	@EventListener
	void on(TicketUnassigned event) {
		events.add(event);
	}

	@EventListener
	void on(TicketPriorityChanged event) {
		events.add(event);
	}

	@EventListener
	void on(TicketMessageCreated event) {
		events.add(event);
	}

	@EventListener
	void on(SlaClockStopped event) {
		events.add(event);
	}

	@EventListener
	void on(SlaBreached event) {
		events.add(event);
	}

	@EventListener
	void on(TicketEscalated event) {
		events.add(event);
	}

	@EventListener
	void on(SurveyAnswered event) {
		events.add(event);
	}
}
