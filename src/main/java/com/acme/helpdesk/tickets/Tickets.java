package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to tickets for other modules, always scoped to one merchant. */
@Service
public class Tickets {

	private final TicketRepository tickets;

	Tickets(TicketRepository tickets) {
		this.tickets = tickets;
	}

	@Transactional(readOnly = true)
	public Optional<TicketSummary> find(UUID merchantId, UUID ticketId) {
		return tickets.findByIdAndMerchantId(ticketId, merchantId).map(TicketSummary::of);
	}
}
