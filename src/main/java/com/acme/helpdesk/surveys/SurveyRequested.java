package com.acme.helpdesk.surveys;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * A ticket's survey was created and should reach its requester ({@code survey.requested}); {@code url} is the public
 * page to answer it.
 */
public record SurveyRequested(UUID eventId, UUID surveyId, UUID merchantId, UUID ticketId, UUID agentId, URI url,
		Instant expiresAt, Instant occurredAt) {
}
