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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

	@Schema(description = "A survey as its requester sees it")
	record PublicSurvey(@Schema(description = "The ticket's number") long ticketNumber,
			@Schema(description = "The ticket's subject") String subject,
			@Schema(description = "The question (`helpdesk.surveys.question`)") String question,
			@Schema(description = "Whether it has been answered") boolean answered,
			@Schema(description = "Until when it can be answered") Instant expiresAt) {
	}

	@Schema(name = "SurveyAnswer", description = "A requester's answer")
	record Answer(
			@Schema(description = "From 1 (bad) to 5 (very good)", example = "5")
			@NotNull @Min(1) @Max(5) Integer rating,
			@Schema(description = "In the requester's words", example = "Quick and friendly")
			@Size(max = MAX_COMMENT) String comment) {
	}

	@Schema(name = "SurveyAnswered", description = "The answer as it was recorded")
	record AnswerView(@Schema(description = "From 1 to 5") int rating,
			@Schema(description = "In the requester's words", nullable = true) String comment,
			@Schema(description = "When it was answered") Instant answeredAt) {
	}

	@Schema(description = "A ticket's satisfaction survey")
	record TicketSurvey(@Schema(description = "The survey's token, the credential of its public page") String token,
			@Schema(description = "The public page sent to the requester") URI url,
			@Schema(description = "`REQUESTED`, `ANSWERED` or `EXPIRED`", example = "REQUESTED") String state,
			@Schema(description = "From 1 to 5", nullable = true) Integer rating,
			@Schema(description = "The requester's comment", nullable = true) String comment,
			@Schema(description = "Until when it can be answered") Instant expiresAt,
			@Schema(description = "When it was sent") Instant requestedAt,
			@Schema(description = "When it was answered", nullable = true) Instant answeredAt) {
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
	@Tag(name = "Public surveys")
	@Operation(operationId = "getPublicSurvey", summary = "Show a survey", description = """
			The question and the ticket it is about. Changes nothing (mail scanners follow links).""")
	@ApiResponse(responseCode = "200", description = "The survey")
	@ApiResponse(responseCode = "410", description = "The survey expired unanswered")
	PublicSurvey show(@Parameter(description = "The survey's token, from the mail's link") @PathVariable String token) {
		var survey = answers.show(token);
		return new PublicSurvey(survey.ticketNumber(), survey.subject(), survey.question(), survey.answered(),
				survey.expiresAt());
	}

	@PostMapping("/public/v1/surveys/{token}/response")
	@ResponseStatus(HttpStatus.CREATED)
	@Tag(name = "Public surveys")
	@Operation(operationId = "answerPublicSurvey", summary = "Answer a survey",
			description = "Records the requester's rating, once.")
	@ApiResponse(responseCode = "409", description = "The survey has been answered already")
	@ApiResponse(responseCode = "410", description = "The survey expired")
	AnswerView answer(
				@Parameter(description = "The survey's token, from the mail's link")
				@PathVariable String token, @Valid @RequestBody Answer answer) {
		var survey = answers.answer(token, answer.rating(), answer.comment());
		return new AnswerView(survey.rating(), survey.comment(), survey.answeredAt());
	}

	@GetMapping("/api/v1/tickets/{ticketId}/survey")
	@Tag(name = "Surveys")
	@Operation(operationId = "getTicketSurvey", summary = "Read a ticket's survey", description = """
			The survey sent when the ticket was resolved or closed (after the merchant's `surveyDelay`); 404 while \
			there is none.""")
	TicketSurvey ofTicket(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The ticket's id") @PathVariable UUID ticketId) {
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
	@Tag(name = "Surveys")
	@Operation(operationId = "getSurveyStats", summary = "Survey statistics", description = """
			Response rate, satisfaction and average rating of the surveys sent in `[from, to)`, for the merchant, per \
			agent and per category.""")
	SurveyStatistics.Stats stats(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The start (inclusive): an ISO-8601 date or instant; 30 days before `to` when left out",
					example = "2026-11-01") @RequestParam(required = false) String from,
			@Parameter(description = "The end (exclusive): an ISO-8601 instant, or a date (that day included); "
					+ "now when left out",
					example = "2026-11-30") @RequestParam(required = false) String to) {
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
