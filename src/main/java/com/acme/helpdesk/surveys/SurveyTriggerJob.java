package com.acme.helpdesk.surveys;

import java.time.Duration;
import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/** Queue {@code helpdesk.survey-trigger}, job {@code survey-trigger}: send a ticket's survey ({@code TriggerSurvey}). */
public record SurveyTriggerJob(UUID merchantId, UUID ticketId) implements HelpdeskJob {

	public static Dispatch<SurveyTriggerJob> trigger(UUID merchantId, UUID ticketId) {
		return Dispatch.of(new SurveyTriggerJob(merchantId, ticketId));
	}

	/** The survey goes out after the merchant's survey delay. */
	public static Dispatch<SurveyTriggerJob> triggerAfter(UUID merchantId, UUID ticketId, Duration delay) {
		return trigger(merchantId, ticketId).delayedBy(delay);
	}

	@Override
	public JobQueue queue() {
		return JobQueue.SURVEY_TRIGGER;
	}

	@Override
	public String jobName() {
		return "survey-trigger";
	}

	@Override
	public String displayName() {
		return "survey-trigger ticket " + ticketId;
	}
}
