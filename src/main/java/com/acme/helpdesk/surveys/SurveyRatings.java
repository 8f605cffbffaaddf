package com.acme.helpdesk.surveys;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.tickets.SatisfactionRatings;

/** Answers context enrichment's question for the requester's last rating from the surveys' answers (one statement). */
@Component
class SurveyRatings implements SatisfactionRatings {

	private final SurveyStore surveys;

	SurveyRatings(SurveyStore surveys) {
		this.surveys = surveys;
	}

	@Override
	public Optional<Rating> lastRating(UUID merchantId, Collection<UUID> ticketIds) {
		if (ticketIds.isEmpty()) {
			return Optional.empty();
		}
		return surveys.lastAnswered(merchantId, ticketIds.toArray(UUID[]::new))
			.map(survey -> new Rating(survey.ticketId(), survey.rating(), survey.answeredAt()));
	}
}
