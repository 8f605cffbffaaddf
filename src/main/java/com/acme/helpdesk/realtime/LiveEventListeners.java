package com.acme.helpdesk.realtime;

import static com.acme.helpdesk.realtime.LiveEvent.data;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.notifications.NotificationCreated;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaWarning;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.surveys.SurveyAnswered;
import com.acme.helpdesk.tickets.TicketContextEnriched;
import com.acme.helpdesk.tickets.TicketPriorityChanged;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketUnassigned;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketStatusChanged;

/**
 * Pushes helpdesk events to live clients: one listener per event type, mapping it to the envelope's
 * fields. A replayed event is pushed again with the same {@code event-id} header (and the same envelope),
 * so clients recognise and drop the duplicate; pushing changes no state, so the listeners are idempotent. Writing
 * nothing, they run without a transaction of their own (the outbox completes their publications in batches).
 * To push a new event type, add one method here.
 */
@Component
class LiveEventListeners {

	private final LiveFanOut fanOut;
	private final LiveNotifications notifications;

	LiveEventListeners(LiveFanOut fanOut, LiveNotifications notifications) {
		this.fanOut = fanOut;
		this.notifications = notifications;
	}

	@ApplicationModuleListener(id = "realtime.ticket-created", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketCreated e) {
		fanOut.push(new LiveEvent("ticket.created", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("number", e.number(), "subject", e.subject(), "status", "OPEN",
						"priority", e.priority(), "categoryId", e.categoryId(), "categoryRouting", e.categoryRouting(),
						"tagIds", e.tagIds(), "context", e.context(), "metadata", e.metadata())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-status-changed", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketStatusChanged e) {
		fanOut.push(new LiveEvent("ticket.status_changed", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("from", e.from(), "to", e.to(), "status", e.to(), "reason", e.reason(), "assigneeId",
						e.assigneeId())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-assigned", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketAssigned e) {
		fanOut.push(new LiveEvent("ticket.assigned", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("agentId", e.agentId(), "previousAgentId", e.previousAgentId(), "strategy", e.strategy())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-message-created", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketMessageCreated e) {
		fanOut.push(new LiveEvent("ticket.message.created", e.merchantId(), e.ticketId(), e.messageId(),
				e.occurredAt(), data("authorType", e.authorType(), "authorId", e.authorId(), "internal", e.internal(),
						"firstPublicAgentReply", e.firstPublicAgentReply())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-unassigned", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketUnassigned e) {
		fanOut.push(new LiveEvent("ticket.unassigned", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("previousAgentId", e.previousAgentId(), "reason", e.reason())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-context-enriched", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketContextEnriched e) {
		fanOut.push(new LiveEvent("ticket.context_enriched", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data()));
	}

	@ApplicationModuleListener(id = "realtime.sla-warning", propagation = Propagation.NOT_SUPPORTED)
	void on(SlaWarning e) {
		fanOut.push(new LiveEvent("sla.warning", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("metric", e.metric(), "cycle", e.cycle(), "warnAt", e.warnAt(), "dueAt", e.dueAt())));
	}

	@ApplicationModuleListener(id = "realtime.sla-breached", propagation = Propagation.NOT_SUPPORTED)
	void on(SlaBreached e) {
		fanOut.push(new LiveEvent("sla.breached", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("metric", e.metric(), "cycle", e.cycle(), "dueAt", e.dueAt())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-escalated", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketEscalated e) {
		fanOut.push(new LiveEvent("ticket.escalated", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("level", e.level(), "action", e.action(), "supervisorAgentIds", e.supervisorAgentIds(),
						"assigneeId", e.assigneeId(), "breachedAt", e.breachedAt())));
	}

	@ApplicationModuleListener(id = "realtime.ticket-priority-changed", propagation = Propagation.NOT_SUPPORTED)
	void on(TicketPriorityChanged e) {
		fanOut.push(new LiveEvent("ticket.priority_changed", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("from", e.from(), "to", e.to(), "reason", e.reason())));
	}

	@ApplicationModuleListener(id = "realtime.survey-answered", propagation = Propagation.NOT_SUPPORTED)
	void on(SurveyAnswered e) {
		fanOut.push(new LiveEvent("survey.answered", e.merchantId(), e.ticketId(), null, e.occurredAt(),
				data("surveyId", e.surveyId(), "rating", e.rating(), "agentId", e.agentId())));
	}

	@ApplicationModuleListener(id = "realtime.notification-created", propagation = Propagation.NOT_SUPPORTED)
	void on(NotificationCreated e) {
		notifications.push(e.merchantId(), e.agentId(), e.notificationId(), e.ticketId(),
				data("type", e.type(), "notificationId", e.notificationId()));
	}
}
