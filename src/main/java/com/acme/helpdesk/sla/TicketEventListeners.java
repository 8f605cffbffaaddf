package com.acme.helpdesk.sla;

import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketStatusChanged;

/** The sla module's listeners on ticket events: each hands the event to {@link SlaClocks}; all are idempotent. */
@Component
class TicketEventListeners {

	static final String START_CLOCKS = "sla.start-clocks";
	static final String STATUS_CHANGED = "sla.apply-status-to-clocks";
	static final String FIRST_RESPONSE = "sla.stop-first-response-clock";

	private final SlaClocks clocks;

	TicketEventListeners(SlaClocks clocks) {
		this.clocks = clocks;
	}

	/**
	 * In the creating transaction: the clocks are rows of this module that cannot fail for business reasons, so they
	 * commit with the ticket and no publication is needed.
	 */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketCreated event) {
		clocks.start(event.merchantId(), event.ticketId(), event.priority(), event.occurredAt());
	}

	@ApplicationModuleListener(id = STATUS_CHANGED)
	void on(TicketStatusChanged event) {
		clocks.statusChanged(STATUS_CHANGED, event.eventId(), event.merchantId(), event.ticketId(), event.from(),
				event.to(), event.occurredAt());
	}

	@ApplicationModuleListener(id = FIRST_RESPONSE)
	void on(TicketMessageCreated event) {
		if (event.firstPublicAgentReply()) {
			clocks.firstResponse(event.merchantId(), event.ticketId(), event.occurredAt());
		}
	}
}
