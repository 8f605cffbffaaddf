package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to tickets for other modules, always scoped to one merchant. */
@Service
public class Tickets {

	private final TicketRepository tickets;
	private final CategoryRepository categories;

	Tickets(TicketRepository tickets, CategoryRepository categories) {
		this.tickets = tickets;
		this.categories = categories;
	}

	/** The routing of the merchant's category; empty for an unknown category. */
	@Transactional(readOnly = true)
	public java.util.Optional<RoutingStrategy> categoryRouting(UUID merchantId, UUID categoryId) {
		return categories.findByIdAndMerchantId(categoryId, merchantId).map(Category::routingStrategy);
	}

	/** The index of the first id that is not one of the merchant's categories, or -1 when all are. */
	@Transactional(readOnly = true)
	public int firstUnknownCategory(UUID merchantId, java.util.List<UUID> categoryIds) {
		var known = categories.findAllById(categoryIds).stream()
			.filter(c -> merchantId.equals(c.merchantId()))
			.map(Category::id)
			.toList();
		for (int i = 0; i < categoryIds.size(); i++) {
			if (!known.contains(categoryIds.get(i))) {
				return i;
			}
		}
		return -1;
	}

	/** The agent's tickets nobody has started yet (status {@code OPEN}), oldest first. */
	@Transactional(readOnly = true)
	public java.util.List<UUID> notStartedTicketsOf(UUID merchantId, UUID agentId) {
		return tickets.findIdsByMerchantIdAndAssigneeIdAndStatusOrderByCreatedAt(merchantId, agentId, TicketStatus.OPEN);
	}

	@Transactional(readOnly = true)
	public Optional<TicketSummary> find(UUID merchantId, UUID ticketId) {
		return tickets.findByIdAndMerchantId(ticketId, merchantId).map(TicketSummary::of);
	}
}
