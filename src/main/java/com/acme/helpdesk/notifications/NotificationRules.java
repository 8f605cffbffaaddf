package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

import com.acme.helpdesk.assignment.Agents;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.notifications.NotificationStore.NewNotification;
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

	/**
	 * Notifies {@code audience} of {@code type} about the ticket; the payload gets the ticket's number, subject and
	 * status plus {@code details}.
	 */
	void notify(String listenerId, UUID eventId, UUID merchantId, UUID ticketId, NotificationType type,
			Collection<Audience> audience, java.util.function.Consumer<ObjectNode> details) {
		var ticket = tickets.find(merchantId, ticketId).orElse(null);
		if (ticket == null) {
			return; // a ticket of another merchant or gone: nothing to tell anyone
		}
		var payload = ticketPayload(ticket);
		details.accept(payload);
		var merchant = SingletonSupplier.of(() -> settings.of(merchantId)); // read only for a webhook
		var notifications = new ArrayList<NewNotification>();
		var agentIds = audience.stream()
			.filter(a -> a.kind() == RecipientKind.AGENT && a.agentId() != null)
			.map(Audience::agentId)
			.collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
		for (var agent : agents.findAll(merchantId, agentIds)) {
			var preference = preferences.of(merchantId, agent.id(), type);
			var state = preference.delivery() == Delivery.DIGEST ? State.COLLECTED : State.PENDING;
			for (var channel : preference.channels()) {
				if (usable(channel, agent.email(), merchant)) {
					notifications.add(new NewNotification(RecipientKind.AGENT, agent.id().toString(), agent.id(),
							agent.email(), type, channel, state, ticketId, payload));
				}
			}
		}
		audience.stream()
			.filter(a -> a.kind() == RecipientKind.REQUESTER && a.email() != null && !a.email().isBlank())
			.map(a -> a.email().toLowerCase(Locale.ROOT))
			.distinct()
			.forEach(email -> {
				for (var channel : List.of(Channel.EMAIL, Channel.WEBHOOK)) {
					if (usable(channel, email, merchant)) {
						notifications.add(new NewNotification(RecipientKind.REQUESTER, email, null, email, type,
								channel, State.PENDING, ticketId, payload));
					}
				}
			});
		var pending = store.insertAll(merchantId, eventId, clock.instant(), notifications)
			.stream()
			.filter(inserted -> inserted.state() == State.PENDING)
			.toList();
		publishJobs(listenerId, eventId, merchantId, pending);
	}

	private static boolean usable(Channel channel, String email, Supplier<MerchantSettings> merchant) {
		return switch (channel) {
			case IN_APP -> true;
			case EMAIL -> email != null && !email.isBlank();
			case WEBHOOK -> merchant.get().webhookUrl() != null;
		};
	}

	private void publishJobs(String listenerId, UUID eventId, UUID merchantId, List<NotificationStore.Inserted> pending) {
		if (pending.isEmpty()) {
			return;
		}
		var ids = pending.stream() // in-app first: it waits for no mail server
			.sorted(Comparator.comparing(NotificationStore.Inserted::channel))
			.map(NotificationStore.Inserted::id)
			.toList();
		var job = pending.stream().map(NotificationStore.Inserted::recipient).distinct().count() > 1
				? NotificationJob.batch(merchantId, ids)
				: NotificationJob.deliver(merchantId, ids, pending.stream().allMatch(p -> p.channel() == Channel.IN_APP));
		dispatcher.publish(job.derivedFrom(listenerId, eventId));
	}
}
