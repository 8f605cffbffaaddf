package com.acme.helpdesk.surveys;

import java.time.Instant;
import java.util.UUID;

/** A requester answered a ticket's survey ({@code survey.answered}). */
public record SurveyAnswered(UUID eventId, UUID surveyId, UUID merchantId, UUID ticketId, UUID agentId, int rating,
		Instant occurredAt) {
}
