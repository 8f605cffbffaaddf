package com.acme.helpdesk.tickets;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * The satisfaction ratings requesters gave, for context enrichment; implemented by the surveys module. Without an
 * implementation, enrichment leaves the rating out.
 */
public interface SatisfactionRatings {

	/** The most recently answered rating among the surveys of the merchant's {@code ticketIds}. */
	Optional<Rating> lastRating(UUID merchantId, Collection<UUID> ticketIds);

	record Rating(UUID ticketId, int rating, Instant answeredAt) {
	}
}
