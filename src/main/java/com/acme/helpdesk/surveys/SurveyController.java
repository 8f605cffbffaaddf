package com.acme.helpdesk.surveys;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.tenancy.Tenant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The public survey page (no key: the token is the credential) and, for the merchant, a ticket's survey and the
 * statistics.
 */
@RestController
class SurveyController {

	static final int MAX_COMMENT = 2000;

	record PublicSurvey(long ticketNumber, String subject, String question, boolean answered, Instant expiresAt) {
	}

	record Answer(@NotNull @Min(1) @Max(5) Integer rating, @Size(max = MAX_COMMENT) String comment) {
	}

	record AnswerView(int rating, String comment, Instant answeredAt) {
	}

	record TicketSurvey(String token, URI url, String state, Integer rating, String comment, Instant expiresAt,
			Instant requestedAt, Instant answeredAt) {
	}

	private final SurveyAnswers answers;
	private final SurveyStore surveys;
	private final SurveyStatistics statistics;
	private final SurveyProperties properties;
	private final Clock clock;

	SurveyController(SurveyAnswers answers, SurveyStore surveys, SurveyStatistics statistics,
			SurveyProperties properties, Clock clock) {
		this.answers = answers;
		this.surveys = surveys;
		this.statistics = statistics;
		this.properties = properties;
		this.clock = clock;
	}

	/** Shows the question; changes nothing (mail scanners follow links). */
	@GetMapping("/public/v1/surveys/{token}")
	PublicSurvey show(@PathVariable String token) {
		var survey = answers.show(token);
		return new PublicSurvey(survey.ticketNumber(), survey.subject(), survey.question(), survey.answered(),
				survey.expiresAt());
	}

	@PostMapping("/public/v1/surveys/{token}/response")
	@ResponseStatus(HttpStatus.CREATED)
	AnswerView answer(@PathVariable String token, @Valid @RequestBody Answer answer) {
		var survey = answers.answer(token, answer.rating(), answer.comment());
		return new AnswerView(survey.rating(), survey.comment(), survey.answeredAt());
	}

	@GetMapping("/api/v1/tickets/{ticketId}/survey")
	TicketSurvey ofTicket(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID ticketId) {
		var survey = surveys.byTicket(tenant.merchantId(), ticketId)
			.orElseThrow(() -> new NotFoundException("Survey of ticket", ticketId));
		var state = survey.answered() ? "ANSWERED" : survey.expiredAt(clock.instant()) ? "EXPIRED" : "REQUESTED";
		return new TicketSurvey(survey.token(), properties.urlOf(survey.token()), state, survey.rating(),
				survey.comment(), survey.expiresAt(), survey.createdAt(), survey.answeredAt());
	}

	/**
	 * Statistics over the surveys requested from {@code from} (inclusive) to {@code to} (exclusive): ISO-8601 instants
	 * or dates (a date {@code to} includes that day); the last 30 days by default.
	 */
	@GetMapping("/api/v1/surveys/stats")
	SurveyStatistics.Stats stats(@AuthenticationPrincipal Tenant tenant, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		var end = to == null ? clock.instant() : parse("to", to, true);
		var start = from == null ? end.minus(Duration.ofDays(30)) : parse("from", from, false);
		if (!start.isBefore(end)) {
			throw new InvalidFieldException("from", "must be before to");
		}
		return statistics.of(tenant.merchantId(), start, end);
	}

	private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
	private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

	private static Instant parse(String field, String value, boolean endOfDay) {
		Instant instant;
		try {
			if (value.length() == 10) {
				var day = LocalDate.parse(value);
				instant = (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
			}
			else {
				instant = Instant.parse(value);
			}
		}
		catch (DateTimeParseException e) {
			throw new InvalidFieldException(field, "must be an ISO-8601 date or instant");
		}
		if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
			throw new InvalidFieldException(field, "must be between 1970-01-01 and 9999-12-31");
		}
		return instant;
	}
}
