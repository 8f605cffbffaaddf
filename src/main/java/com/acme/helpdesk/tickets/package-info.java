/**
 * Tickets, their messages, categories (with routing) and tags with their counts, and the ticket status
 * machine. Publishes {@link com.acme.helpdesk.tickets.TicketCreated}, {@link com.acme.helpdesk.tickets.TicketStatusChanged},
 * {@link com.acme.helpdesk.tickets.TicketAssigned}, {@link com.acme.helpdesk.tickets.TicketMessageCreated} and
 * {@link com.acme.helpdesk.tickets.TicketPriorityChanged}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tickets")
package com.acme.helpdesk.tickets;
