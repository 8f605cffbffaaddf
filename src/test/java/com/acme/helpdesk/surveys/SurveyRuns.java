package com.acme.helpdesk.surveys;

import java.util.UUID;

import org.springframework.context.ApplicationContext;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;

/**
 * For tests of other modules: runs a ticket's {@code survey-trigger} job now (without job servers) and answers its
 * survey as the requester would.
 */
public final class SurveyRuns {

	private final TriggerSurvey trigger;
	private final SurveyAnswers answers;
	private final SurveyStore surveys;

	public SurveyRuns(ApplicationContext context) {
		this.trigger = context.getBean(TriggerSurvey.class);
		this.answers = context.getBean(SurveyAnswers.class);
		this.surveys = context.getBean(SurveyStore.class);
	}

	/** Runs the ticket's {@code survey-trigger} job: a survey is sent if the ticket is resolved or closed. */
	public void trigger(UUID merchantId, UUID ticketId) {
		trigger.run(new SurveyTriggerJob(merchantId, ticketId),
				new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.SURVEY_TRIGGER, "survey-trigger", 1));
	}

	/** Triggers the ticket's survey (none unless it is resolved or closed) and answers it; answers whether it did. */
	public boolean answer(UUID merchantId, UUID ticketId, int rating) {
		trigger(merchantId, ticketId);
		var survey = surveys.byTicket(merchantId, ticketId);
		if (survey.isEmpty() || survey.get().answered()) {
			return false;
		}
		answers.answer(survey.get().token(), rating, null);
		return true;
	}
}
