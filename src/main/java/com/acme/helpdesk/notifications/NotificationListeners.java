package com.acme.helpdesk.notifications;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;

import com.acme.helpdesk.notifications.NotificationRules.Audience;
import com.acme.helpdesk.notifications.NotificationRules.Notice;
import com.acme.helpdesk.shared.TransactionCollectors;
import com.acme.helpdesk.sla.EscalationSupervisors;
import com.acme.helpdesk.sla.SlaBreached;
import com.acme.helpdesk.sla.SlaWarning;
import com.acme.helpdesk.sla.TicketEscalated;
import com.acme.helpdesk.surveys.SurveyRequested;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.acme.helpdesk.tickets.TicketSummary;
import com.acme.helpdesk.tickets.Tickets;

/**
 * The notification rules of each event. Each listener is idempotent: its notifications are unique per recipient,
 * type, source event and channel, and its jobs have ids derived from the event.
 */
@Component
class NotificationListeners {

	static final String ON_ASSIGNED = "notifications.notify-assignee";
	static final String ON_MESSAGE = "notifications.notify-reply";
	static final String ON_STATUS = "notifications.notify-status-change";
	static final String ON_SURVEY = "notifications.send-survey-link";
	static final String ON_SLA_WARNING = "notifications.notify-sla-warning";
	static final String ON_SLA_BREACHED = "notifications.notify-sla-breach";
	static final String ON_ESCALATED = "notifications.notify-escalation";

	private final NotificationRules rules;
	private final Tickets tickets;
	private final EscalationSupervisors supervisors;

	NotificationListeners(NotificationRules rules, Tickets tickets, EscalationSupervisors supervisors) {
		this.rules = rules;
		this.tickets = tickets;
		this.supervisors = supervisors;
	}

	/**
	 * The new assignee, in the assigning transaction just before it commits: the notification rows and their jobs
	 * commit with the assignment (no publication, no transaction of its own). The assignments of one transaction (the
	 * {@code assign} jobs that share one) are notified together, in one statement per table.
	 */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(TicketAssigned event) {
		assigneesOfThisTransaction().add(new Notice(ON_ASSIGNED, event.eventId(), event.merchantId(), event.ticketId(),
				NotificationType.TICKET_ASSIGNED, List.of(Audience.agent(event.agentId())), payload -> {
					payload.put("strategy", event.strategy());
					if (event.previousAgentId() != null) {
						payload.put("previousAgentId", event.previousAgentId().toString());
					}
				}));
	}

	/** The assignees this transaction notifies. */
	private AssigneesToNotify assigneesOfThisTransaction() {
		return TransactionCollectors.ofThisTransaction(AssigneesToNotify.class, assignees -> assignees.owner() == this,
				AssigneesToNotify::new);
	}

	private final class AssigneesToNotify implements TransactionSynchronization {

		private final List<Notice> notices = new ArrayList<>();
		private boolean notified;

		NotificationListeners owner() {
			return NotificationListeners.this;
		}

		void add(Notice notice) {
			if (notified) {
				// an assignment by a later just-before-commit callback: notified at once, still before the commit
				rules.notifyAll(List.of(notice));
				return;
			}
			notices.add(notice);
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			notified = true;
			rules.notifyAll(notices);
		}
	}

	/** The assignee on a customer reply; the requester on a public agent reply; nobody on internal notes. */
	@ApplicationModuleListener(id = ON_MESSAGE)
	void on(TicketMessageCreated event) {
		if (event.internal()) {
			return;
		}
		var ticket = tickets.find(event.merchantId(), event.ticketId()).orElse(null);
		if (ticket == null) {
			return;
		}
		if (event.authorType() == AuthorType.CUSTOMER && ticket.assigneeId() != null) {
			rules.notify(ON_MESSAGE, event.eventId(), event.merchantId(), event.ticketId(),
					NotificationType.CUSTOMER_REPLIED, List.of(Audience.agent(ticket.assigneeId())),
					payload -> payload.put("messageId", event.messageId().toString()));
		}
		else if (event.authorType() == AuthorType.AGENT) {
			rules.notify(ON_MESSAGE, event.eventId(), event.merchantId(), event.ticketId(),
					NotificationType.AGENT_REPLIED, List.of(Audience.requester(ticket.requesterEmail())),
					payload -> payload.put("messageId", event.messageId().toString()));
		}
	}

	/** The requester and the assignee. */
	@ApplicationModuleListener(id = ON_STATUS)
	void on(TicketStatusChanged event) {
		var ticket = tickets.find(event.merchantId(), event.ticketId()).orElse(null);
		if (ticket == null) {
			return;
		}
		var audience = new ArrayList<Audience>();
		audience.add(Audience.requester(ticket.requesterEmail()));
		if (event.assigneeId() != null) {
			audience.add(Audience.agent(event.assigneeId()));
		}
		rules.notify(ON_STATUS, event.eventId(), event.merchantId(), event.ticketId(), NotificationType.STATUS_CHANGED,
				audience, payload -> {
					payload.put("from", event.from().name());
					payload.put("to", event.to().name());
					payload.put("reason", event.reason());
				});
	}

	/** The requester, with the survey's link. */
	@ApplicationModuleListener(id = ON_SURVEY)
	void on(SurveyRequested event) {
		var ticket = tickets.find(event.merchantId(), event.ticketId()).orElse(null);
		if (ticket == null) {
			return;
		}
		rules.notify(ON_SURVEY, event.eventId(), event.merchantId(), event.ticketId(),
				NotificationType.SURVEY_REQUESTED, List.of(Audience.requester(ticket.requesterEmail())), payload -> {
					payload.put("surveyId", event.surveyId().toString());
					payload.put("url", event.url().toString());
					payload.put("expiresAt", event.expiresAt().toString());
				});
	}

	@ApplicationModuleListener(id = ON_SLA_WARNING)
	void on(SlaWarning event) {
		notifyWarning(event.merchantId(), event.ticketId(), assigneeOf(event.merchantId(), event.ticketId()),
				event.metric().name(), event.eventId());
	}

	@ApplicationModuleListener(id = ON_SLA_BREACHED)
	void on(SlaBreached event) {
		notifyBreach(event.merchantId(), event.ticketId(), assigneeOf(event.merchantId(), event.ticketId()),
				supervisors.of(event.merchantId()), event.metric().name(), event.eventId());
	}

	@ApplicationModuleListener(id = ON_ESCALATED)
	void on(TicketEscalated event) {
		var agents = new ArrayList<UUID>(event.supervisorAgentIds());
		if (event.assigneeId() != null && !agents.contains(event.assigneeId())) {
			agents.add(event.assigneeId());
		}
		notifyEscalation(event.merchantId(), event.ticketId(), agents, event.level(), event.action().name(),
				event.eventId());
	}

	private UUID assigneeOf(UUID merchantId, UUID ticketId) {
		return tickets.find(merchantId, ticketId).map(TicketSummary::assigneeId).orElse(null);
	}

	/** {@code SlaWarning}: the assignee. */
	void notifyWarning(UUID merchantId, UUID ticketId, UUID assigneeId, String metric, UUID eventId) {
		if (assigneeId == null) {
			return;
		}
		rules.notify(ON_SLA_WARNING, eventId, merchantId, ticketId, NotificationType.SLA_WARNING,
				List.of(Audience.agent(assigneeId)), payload -> payload.put("metric", metric));
	}

	/** {@code SlaBreached}: the assignee and the supervisors named by the escalation policy. */
	void notifyBreach(UUID merchantId, UUID ticketId, UUID assigneeId, List<UUID> supervisorIds, String metric,
			UUID eventId) {
		var audience = new ArrayList<Audience>();
		if (assigneeId != null) {
			audience.add(Audience.agent(assigneeId));
		}
		supervisorIds.forEach(id -> audience.add(Audience.agent(id)));
		rules.notify(ON_SLA_BREACHED, eventId, merchantId, ticketId, NotificationType.SLA_BREACHED, audience,
				payload -> payload.put("metric", metric));
	}

	/** {@code TicketEscalated}: the agents the escalation names (supervisors, the new assignee). */
	void notifyEscalation(UUID merchantId, UUID ticketId, List<UUID> agentIds, int level, String action,
			UUID eventId) {
		rules.notify(ON_ESCALATED, eventId, merchantId, ticketId, NotificationType.TICKET_ESCALATED,
				agentIds.stream().map(Audience::agent).toList(), payload -> {
					payload.put("level", level);
					payload.put("action", action);
				});
	}
}
