package com.acme.helpdesk.tickets;

import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationContext;

import com.acme.helpdesk.tenancy.Tenant;

/**
 * For tests of other modules that build long ticket histories: the tickets module's own use cases, called directly (the
 * same transactions, rules and events as the HTTP API, without HTTP), as a merchant's admin key or an agent would.
 */
public final class TicketWrites {

	private final TicketService tickets;
	private final TicketAssignments assignments;

	public TicketWrites(ApplicationContext context) {
		this.tickets = context.getBean(TicketService.class);
		this.assignments = context.getBean(TicketAssignments.class);
	}

	public UUID create(UUID merchantId, String subject, UUID categoryId, List<UUID> tagIds, Priority priority) {
		var request = new TicketRequests.CreateTicket(subject, null,
				new TicketRequests.RequesterInput("requester@example.com", null, null), categoryId, priority, tagIds,
				null, null);
		return tickets.create(admin(merchantId), request, null).ticket().id();
	}

	public void changeStatus(UUID merchantId, UUID ticketId, TicketStatus status) {
		tickets.changeStatus(admin(merchantId), ticketId, new TicketRequests.ChangeStatus(status, "test"));
	}

	/** A message by the customer, or by agent {@code agentId} (public or an internal note). */
	public void addMessage(UUID merchantId, UUID ticketId, AuthorType authorType, UUID agentId, boolean internal) {
		var tenant = agentId == null ? admin(merchantId)
				: new Tenant(merchantId, Tenant.Role.AGENT, agentId, UUID.randomUUID());
		tickets.addMessage(tenant, ticketId, new TicketRequests.CreateMessage("message", authorType, internal));
	}

	public void assign(UUID merchantId, UUID ticketId, UUID agentId) {
		assignments.assign(merchantId, ticketId, agentId, AssignmentReason.manual());
	}

	public boolean returnToPool(UUID merchantId, UUID ticketId, UUID agentId) {
		return assignments.returnToPool(merchantId, ticketId, agentId, "test");
	}

	private static Tenant admin(UUID merchantId) {
		return new Tenant(merchantId, Tenant.Role.ADMIN, null, UUID.randomUUID());
	}
}
