package com.acme.helpdesk.surveys;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.Tickets;

/**
 * Use case: creates a ticket's one survey if the ticket is still resolved or closed (a ticket reopened in the
 * meantime gets none), with a token of 256 random bits and an expiry, and publishes {@link SurveyRequested} with it.
 * Idempotent without a record of its own: a ticket has at most one survey, so a second run inserts none.
 */
@Component
class TriggerSurvey implements JobWorker<SurveyTriggerJob> {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Tickets tickets;
	private final SurveyStore surveys;
	private final ApplicationEventPublisher events;
	private final SurveyProperties properties;
	private final Clock clock;

	TriggerSurvey(Tickets tickets, SurveyStore surveys, ApplicationEventPublisher events,
			SurveyProperties properties, Clock clock) {
		this.tickets = tickets;
		this.surveys = surveys;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Class<SurveyTriggerJob> jobType() {
		return SurveyTriggerJob.class;
	}

	@Override
	@Transactional
	public void run(SurveyTriggerJob job, JobRun run) {
		var ticket = tickets.find(job.merchantId(), job.ticketId())
			.orElseThrow(() -> new InvalidJobArgumentsException(
					"Ticket " + job.ticketId() + " of merchant " + job.merchantId() + " does not exist"));
		if (ticket.status() != TicketStatus.RESOLVED && ticket.status() != TicketStatus.CLOSED) {
			return;
		}
		var now = clock.instant();
		var survey = new SurveyStore.NewSurvey(UUID.randomUUID(), ticket.merchantId(), ticket.id(), ticket.number(),
				ticket.subject(), ticket.assigneeId(), ticket.categoryId(), newToken(), properties.question(), now,
				now.plus(properties.validity()));
		if (surveys.insert(survey)) {
			events.publishEvent(new SurveyRequested(UUID.randomUUID(), survey.id(), survey.merchantId(),
					survey.ticketId(), survey.agentId(), properties.urlOf(survey.token()), survey.expiresAt(), now));
		}
	}

	/** 256 random bits, URL-safe. */
	static String newToken() {
		var bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
