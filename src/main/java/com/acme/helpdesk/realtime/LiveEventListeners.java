package com.acme.helpdesk.realtime;

import static com.acme.helpdesk.realtime.LiveEvent.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
 * Pushes helpdesk events to live clients: one listener per event type, mapping it to the envelope's fields. Pushes
 * are best-effort: each is sent once the publishing transaction has committed (nothing for a rolled-back one), with no
 * event publication record, so a frame lost to a crash or a dropped connection is not sent again. Frames carry the
 * ticket's version ({@code ticketVersion}): a client that sees a gap, or reconnects, re-reads the ticket over HTTP.
 * To push a new event type, add one method here.
 */
@Component
class LiveEventListeners {

	private static final Logger log = LoggerFactory.getLogger(LiveEventListeners.class);

	private final LiveFanOut fanOut;
	private final LiveNotifications notifications;

	LiveEventListeners(LiveFanOut fanOut, LiveNotifications notifications) {
		this.fanOut = fanOut;
		this.notifications = notifications;
	}

	private void afterCommit(LiveEvent event) {
		afterCommit(() -> fanOut.push(event));
	}

	private static void afterCommit(Runnable push) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			pushQuietly(push);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				pushQuietly(push);
			}
		});
	}

	private static void pushQuietly(Runnable push) {
		try {
			push.run();
		}
		catch (RuntimeException e) {
			log.warn("Live push dropped: {}", e.toString());
		}
	}

	@EventListener
	void on(TicketCreated e) {
		afterCommit(new LiveEvent("ticket.created", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data("number", e.number(), "subject", e.subject(), "status", "OPEN",
						"priority", e.priority(), "categoryId", e.categoryId(), "categoryRouting", e.categoryRouting(),
						"tagIds", e.tagIds(), "context", e.context(), "metadata", e.metadata())));
	}

	@EventListener
	void on(TicketStatusChanged e) {
		afterCommit(new LiveEvent("ticket.status_changed", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data("from", e.from(), "to", e.to(), "status", e.to(), "reason", e.reason(), "assigneeId",
						e.assigneeId())));
	}

	@EventListener
	void on(TicketAssigned e) {
		afterCommit(new LiveEvent("ticket.assigned", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data("agentId", e.agentId(), "previousAgentId", e.previousAgentId(), "strategy", e.strategy())));
	}

	@EventListener
	void on(TicketMessageCreated e) {
		afterCommit(new LiveEvent("ticket.message.created", e.merchantId(), e.ticketId(), e.messageId(),
				e.occurredAt(), e.ticketVersion(), data("authorType", e.authorType(), "authorId", e.authorId(), "internal", e.internal(),
						"firstPublicAgentReply", e.firstPublicAgentReply())));
	}

	@EventListener
	void on(TicketUnassigned e) {
		afterCommit(new LiveEvent("ticket.unassigned", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data("previousAgentId", e.previousAgentId(), "reason", e.reason())));
	}

	@EventListener
	void on(TicketContextEnriched e) {
		afterCommit(new LiveEvent("ticket.context_enriched", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data()));
	}

	@EventListener
	void on(SlaWarning e) {
		afterCommit(new LiveEvent("sla.warning", e.merchantId(), e.ticketId(), null, e.occurredAt(), null,
				data("metric", e.metric(), "cycle", e.cycle(), "warnAt", e.warnAt(), "dueAt", e.dueAt())));
	}

	@EventListener
	void on(SlaBreached e) {
		afterCommit(new LiveEvent("sla.breached", e.merchantId(), e.ticketId(), null, e.occurredAt(), null,
				data("metric", e.metric(), "cycle", e.cycle(), "dueAt", e.dueAt())));
	}

	@EventListener
	void on(TicketEscalated e) {
		afterCommit(new LiveEvent("ticket.escalated", e.merchantId(), e.ticketId(), null, e.occurredAt(), null,
				data("level", e.level(), "action", e.action(), "supervisorAgentIds", e.supervisorAgentIds(),
						"assigneeId", e.assigneeId(), "breachedAt", e.breachedAt())));
	}

	@EventListener
	void on(TicketPriorityChanged e) {
		afterCommit(new LiveEvent("ticket.priority_changed", e.merchantId(), e.ticketId(), null, e.occurredAt(), e.ticketVersion(),
				data("from", e.from(), "to", e.to(), "reason", e.reason())));
	}

	@EventListener
	void on(SurveyAnswered e) {
		afterCommit(new LiveEvent("survey.answered", e.merchantId(), e.ticketId(), null, e.occurredAt(), null,
				data("surveyId", e.surveyId(), "rating", e.rating(), "agentId", e.agentId())));
	}

	@EventListener
	void on(NotificationCreated e) {
		afterCommit(() -> notifications.push(e.merchantId(), e.agentId(), e.notificationId(), e.ticketId(),
				data("type", e.type(), "notificationId", e.notificationId())));
	}
}
