package com.acme.helpdesk.tickets;

import java.util.EnumSet;
import java.util.Set;

/** The ticket status machine. {@code CLOSED} is final; {@code RESOLVED -> OPEN} is a reopen. */
public enum TicketStatus {

	OPEN, IN_PROGRESS, PENDING, RESOLVED, CLOSED;

	public Set<TicketStatus> next() {
		return switch (this) {
			case OPEN -> EnumSet.of(IN_PROGRESS, PENDING, RESOLVED, CLOSED);
			case IN_PROGRESS -> EnumSet.of(OPEN, PENDING, RESOLVED, CLOSED);
			case PENDING -> EnumSet.of(OPEN, IN_PROGRESS, RESOLVED, CLOSED);
			case RESOLVED -> EnumSet.of(OPEN, CLOSED);
			case CLOSED -> EnumSet.noneOf(TicketStatus.class);
		};
	}

	public boolean canBecome(TicketStatus target) {
		return next().contains(target);
	}

	/** Open in the sense of agent load: neither resolved nor closed. */
	public boolean isActive() {
		return this != RESOLVED && this != CLOSED;
	}
}
