package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

import com.acme.helpdesk.assignment.AgentContact;
import com.acme.helpdesk.assignment.Agents;
import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.notifications.NotificationStore.NewNotification;
import com.acme.helpdesk.notifications.NotificationStore.OfEvent;
import com.acme.helpdesk.notifications.NotificationStore.RecipientKind;
import com.acme.helpdesk.notifications.NotificationStore.State;
import com.acme.helpdesk.tenancy.MerchantSettings;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;
import com.acme.helpdesk.tickets.TicketSummary;
import com.acme.helpdesk.tickets.Tickets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one source event into its notifications: one per recipient, type, source event and channel, the channels of
 * an agent chosen by its preferences (digest types are collected, not sent), a requester's by the merchant (email,
 * and the webhook when the merchant has one). The rows and their delivery jobs are written in the listener's
 * transaction, so both commit or neither does; the jobs have ids derived from the listener and the event:
 * one {@code notification} for all the rows when the event has one recipient, one {@code notification-batch} when
 * it has several.
 * A replayed event inserts nothing new and so publishes nothing: rows and jobs were committed together the first time.
 */
@Component
class NotificationRules {

	/** An agent to notify: the assignee, a supervisor, ... */
	record Audience(RecipientKind kind, UUID agentId, String email) {

		static Audience agent(UUID agentId) {
			return new Audience(RecipientKind.AGENT, agentId, null);
		}

		static Audience requester(String email) {
			return new Audience(RecipientKind.REQUESTER, null, email);
		}
	}

	private final Tickets tickets;
	private final Agents agents;
	private final MerchantSettingsStore settings;
	private final Preferences preferences;
	private final NotificationStore store;
	private final JobDispatcher dispatcher;
	private final ObjectMapper json;
	private final Clock clock;

	NotificationRules(Tickets tickets, Agents agents, MerchantSettingsStore settings, Preferences preferences,
			NotificationStore store, JobDispatcher dispatcher, ObjectMapper json, Clock clock) {
		this.tickets = tickets;
		this.agents = agents;
		this.settings = settings;
		this.preferences = preferences;
		this.store = store;
		this.dispatcher = dispatcher;
		this.json = json;
		this.clock = clock;
	}

	/** The payload every notification of a ticket starts with. */
	ObjectNode ticketPayload(TicketSummary ticket) {
		var payload = json.createObjectNode();
		payload.put("ticketId", ticket.id().toString());
		payload.put("ticketNumber", ticket.number());
		payload.put("subject", ticket.subject());
		payload.put("status", ticket.status().name());
		return payload;
	}

	/** One source event's notifications: of what, about which ticket, to whom, with what beside the ticket's. */
	record Notice(String listenerId, UUID eventId, UUID merchantId, UUID ticketId, NotificationType type,
			Collection<Audience> audience, Consumer<ObjectNode> details) {
	}

	/**
	 * Notifies {@code audience} of {@code type} about the ticket; the payload gets the ticket's number, subject and
	 * status plus {@code details}.
	 */
	void notify(String listenerId, UUID eventId, UUID merchantId, UUID ticketId, NotificationType type,
			Collection<Audience> audience, Consumer<ObjectNode> details) {
		notifyAll(List.of(new Notice(listenerId, eventId, merchantId, ticketId, type, audience, details)));
	}

	/**
	 * {@link #notify} for many events at once: the tickets, the agents and their preferences of one merchant are read
	 * in one statement each, the notifications of all its events are inserted in one, and their jobs published in one.
	 */
	void notifyAll(Collection<Notice> notices) {
		var jobs = new ArrayList<Dispatch<?>>();
		notices.stream()
			.collect(Collectors.groupingBy(Notice::merchantId, LinkedHashMap::new, Collectors.toList()))
			.forEach((merchantId, ofMerchant) -> jobs.addAll(notifyAll(merchantId, ofMerchant)));
		if (!jobs.isEmpty()) {
			dispatcher.publishAll(jobs);
		}
	}

	private List<Dispatch<?>> notifyAll(UUID merchantId, List<Notice> notices) {
		var tickets = this.tickets.findAll(merchantId, notices.stream().map(Notice::ticketId).collect(Collectors.toSet()))
			.stream()
			.collect(Collectors.toMap(TicketSummary::id, ticket -> ticket));
		// a ticket of another merchant or gone: nothing to tell anyone
		var known = notices.stream().filter(notice -> tickets.containsKey(notice.ticketId())).toList();
		var agents = this.agents
			.findAll(merchantId, known.stream().flatMap(notice -> agentIds(notice).stream()).collect(Collectors.toSet()))
			.stream()
			.collect(Collectors.toMap(AgentContact::id, agent -> agent));
		var preferences = this.preferences.of(merchantId, agents.keySet());
		var merchant = SingletonSupplier.of(() -> settings.of(merchantId)); // read only for a webhook
		var events = new ArrayList<OfEvent>();
		for (var notice : known) {
			var payload = ticketPayload(tickets.get(notice.ticketId()));
			notice.details().accept(payload);
			var notifications = new ArrayList<NewNotification>();
			for (var agentId : agentIds(notice)) {
				var agent = agents.get(agentId);
				if (agent == null) {
					continue;
				}
				var preference = Preferences.ofType(preferences.get(agentId), notice.type());
				var state = preference.delivery() == Delivery.DIGEST ? State.COLLECTED : State.PENDING;
				for (var channel : preference.channels()) {
					if (usable(channel, agent.email(), merchant)) {
						notifications.add(new NewNotification(RecipientKind.AGENT, agentId.toString(), agentId,
								agent.email(), notice.type(), channel, state, notice.ticketId(), payload));
					}
				}
			}
			notice.audience()
				.stream()
				.filter(a -> a.kind() == RecipientKind.REQUESTER && a.email() != null && !a.email().isBlank())
				.map(a -> a.email().toLowerCase(Locale.ROOT))
				.distinct()
				.forEach(email -> {
					for (var channel : List.of(Channel.EMAIL, Channel.WEBHOOK)) {
						if (usable(channel, email, merchant)) {
							notifications.add(new NewNotification(RecipientKind.REQUESTER, email, null, email,
									notice.type(), channel, State.PENDING, notice.ticketId(), payload));
						}
					}
				});
			events.add(new OfEvent(notice.eventId(), notifications));
		}
		var pending = store.insertAll(merchantId, clock.instant(), events)
			.stream()
			.filter(inserted -> inserted.state() == State.PENDING)
			.collect(Collectors.groupingBy(NotificationStore.Inserted::sourceEventId));
		var jobs = new ArrayList<Dispatch<?>>();
		for (var notice : known) {
			var ofEvent = pending.get(notice.eventId());
			if (ofEvent != null) {
				jobs.add(job(notice.listenerId(), notice.eventId(), merchantId, ofEvent));
			}
		}
		return jobs;
	}

	private static Set<UUID> agentIds(Notice notice) {
		return notice.audience()
			.stream()
			.filter(a -> a.kind() == RecipientKind.AGENT && a.agentId() != null)
			.map(Audience::agentId)
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static boolean usable(Channel channel, String email, Supplier<MerchantSettings> merchant) {
		return switch (channel) {
			case IN_APP -> true;
			case EMAIL -> email != null && !email.isBlank();
			case WEBHOOK -> merchant.get().webhookUrl() != null;
		};
	}

	private static Dispatch<?> job(String listenerId, UUID eventId, UUID merchantId,
			List<NotificationStore.Inserted> pending) {
		var ids = pending.stream() // in-app first: it waits for no mail server
			.sorted(Comparator.comparing(NotificationStore.Inserted::channel))
			.map(NotificationStore.Inserted::id)
			.toList();
		var job = pending.stream().map(NotificationStore.Inserted::recipient).distinct().count() > 1
				? NotificationJob.batch(merchantId, ids)
				: NotificationJob.deliver(merchantId, ids, pending.stream().allMatch(p -> p.channel() == Channel.IN_APP));
		return job.derivedFrom(listenerId, eventId);
	}
}
