package com.acme.helpdesk.surveys;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.ProblemType;

/** Use case: a requester answers a survey, once, before it expires. */
@Service
class SurveyAnswers {

	private final SurveyStore surveys;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	SurveyAnswers(SurveyStore surveys, ApplicationEventPublisher events, Clock clock) {
		this.surveys = surveys;
		this.events = events;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	SurveyStore.Survey show(String token) {
		var survey = surveys.byToken(token).orElseThrow(() -> new NotFoundException("Survey", "of this link"));
		if (!survey.answered() && survey.expiredAt(clock.instant())) {
			throw expired(survey);
		}
		return survey;
	}

	@Transactional
	SurveyStore.Survey answer(String token, int rating, String comment) {
		var now = clock.instant();
		var survey = surveys.byToken(token).orElseThrow(() -> new NotFoundException("Survey", "of this link"));
		if (survey.answered()) {
			throw new ConflictException("This survey has been answered already");
		}
		if (survey.expiredAt(now)) {
			throw expired(survey);
		}
		if (!surveys.answer(survey.id(), rating, comment, now)) {
			throw new ConflictException("This survey has been answered already");
		}
		events.publishEvent(new SurveyAnswered(UUID.randomUUID(), survey.id(), survey.merchantId(), survey.ticketId(),
				survey.agentId(), rating, now));
		return surveys.byToken(token).orElseThrow();
	}

	private static ResponseStatusException expired(SurveyStore.Survey survey) {
		var expired = new ResponseStatusException(HttpStatus.GONE, "This survey expired at " + survey.expiresAt());
		expired.setType(ProblemType.SURVEY_EXPIRED.uri());
		return expired;
	}
}
