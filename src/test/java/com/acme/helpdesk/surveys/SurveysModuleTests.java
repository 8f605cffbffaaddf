package com.acme.helpdesk.surveys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;
import org.springframework.web.server.ResponseStatusException;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;

/**
 * The surveys module: a ticket resolved (or closed) gets its {@code survey-trigger} job in the resolving transaction;
 * the job creates the ticket's one survey if the ticket is still resolved and publishes {@link SurveyRequested}; the
 * requester answers it once, before it expires, which publishes {@link SurveyAnswered}.
 * <p>
 * Mode {@code ALL_DEPENDENCIES}: the module uses {@code tickets}, whose beans in turn use {@code outbound}.
 * {@code assignment} is included because the shared {@code tenancy} module and the tickets API ask its
 * {@code AgentDirectory} about agents; {@code outbox} because it is how this application records and completes event
 * publications. Tickets are made and resolved through the real HTTP API; job servers stay off, the test runs
 * {@link TriggerSurvey} itself. Time is a {@link MutableClock}.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class SurveysModuleTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class SettableTime {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock(Instant.now());
		}
	}

	private final TriggerSurvey trigger;
	private final SurveyAnswers answers;
	private final SurveyStore surveys;
	private final SurveyProperties properties;
	private final MutableClock clock;
	private final TestApi api;
	private final JdbcClient jdbc;
	private final List<UUID> merchants = new ArrayList<>();

	SurveysModuleTests(TriggerSurvey trigger, SurveyAnswers answers, SurveyStore surveys, SurveyProperties properties,
			MutableClock clock, TestApi api, JdbcClient jdbc) {
		this.trigger = trigger;
		this.answers = answers;
		this.surveys = surveys;
		this.properties = properties;
		this.clock = clock;
		this.api = api;
		this.jdbc = jdbc;
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void resolvingATicketGivesItASurveyTriggerJobInTheResolvingTransaction(Scenario scenario) {
		var merchant = newMerchant();
		var ticket = ticket(merchant);
		changeStatus(merchant, ticket, "IN_PROGRESS");
		assertThat(surveyTriggerJobsOf(ticket)).as("only a resolution or closing asks for a survey").isEmpty();

		scenario.stimulate(() -> changeStatus(merchant, ticket, "RESOLVED"))
			.andWaitForStateChange(() -> surveyTriggerJobsOf(ticket))
			.andVerify(states -> assertThat(states).as("committed with the status, the survey delay being 0")
				.containsExactly("ENQUEUED"));
	}

	@Test
	void theTriggerJobOfAResolvedTicketCreatesItsOneSurveyAndPublishesSurveyRequested(Scenario scenario) {
		var merchant = newMerchant();
		var ticket = ticket(merchant);
		changeStatus(merchant, ticket, "RESOLVED");

		scenario.stimulate(() -> trigger.run(new SurveyTriggerJob(merchant.id(), ticket), run()))
			.andWaitForEventOfType(SurveyRequested.class)
			.matchingMappedValue(SurveyRequested::ticketId, ticket)
			.toArriveAndVerify(event -> {
				var survey = surveys.byTicket(merchant.id(), ticket).orElseThrow();
				assertThat(event.surveyId()).isEqualTo(survey.id());
				assertThat(event.url()).isEqualTo(properties.urlOf(survey.token()));
				assertThat(event.expiresAt()).isEqualTo(event.occurredAt().plus(properties.validity()));
				assertThat(survey.answered()).isFalse();
			});

		scenario.stimulate(() -> trigger.run(new SurveyTriggerJob(merchant.id(), ticket), run()))
			.andWaitForStateChange(() -> surveys.byTicket(merchant.id(), ticket))
			.andVerifyEvents(events -> assertThat(events.ofType(SurveyRequested.class)
				.matching(SurveyRequested::ticketId, ticket)).as("a second run finds the ticket's survey").hasSize(1));
	}

	@Test
	void aTicketReopenedBeforeItsTriggerJobRunsGetsNoSurvey(Scenario scenario) {
		var merchant = newMerchant();
		var ticket = ticket(merchant);
		changeStatus(merchant, ticket, "RESOLVED");
		changeStatus(merchant, ticket, "OPEN");

		scenario.stimulate(() -> trigger.run(new SurveyTriggerJob(merchant.id(), ticket), run()))
			.andWaitForStateChange(() -> surveys.byTicket(merchant.id(), ticket).isEmpty())
			.andVerifyEvents(events -> assertThat(events.ofType(SurveyRequested.class)
				.matching(SurveyRequested::ticketId, ticket)).isEmpty());
	}

	@Test
	void aSurveyIsAnsweredOnceWhichPublishesSurveyAnswered(Scenario scenario) {
		var merchant = newMerchant();
		var survey = surveyOfAResolvedTicket(merchant);

		scenario.stimulate(() -> answers.answer(survey.token(), 5, "Quick and kind"))
			.andWaitForEventOfType(SurveyAnswered.class)
			.matchingMappedValue(SurveyAnswered::surveyId, survey.id())
			.toArriveAndVerify((event, answered) -> {
				assertThat(event.rating()).isEqualTo(5);
				assertThat(event.ticketId()).isEqualTo(survey.ticketId());
				assertThat(answered.comment()).isEqualTo("Quick and kind");
			});

		assertThatThrownBy(() -> answers.answer(survey.token(), 1, "Changed my mind"))
			.isInstanceOf(ConflictException.class);
		assertThat(surveys.byTicket(merchant.id(), survey.ticketId()).orElseThrow().rating()).isEqualTo(5);
	}

	@Test
	void aSurveyTakesAnAnswerUntilItExpires() {
		var merchant = newMerchant();
		var answeredInTime = surveyOfAResolvedTicket(merchant);
		var answeredLate = surveyOfAResolvedTicket(merchant);
		assertThat(answeredLate.expiresAt()).as("the clock stood still").isEqualTo(answeredInTime.expiresAt());

		clock.set(answeredInTime.expiresAt().minus(Duration.ofSeconds(1)));
		assertThat(answers.answer(answeredInTime.token(), 4, "Just in time").rating()).isEqualTo(4);

		clock.set(answeredLate.expiresAt());
		assertThatThrownBy(() -> answers.answer(answeredLate.token(), 4, "Late"))
			.isInstanceOfSatisfying(ResponseStatusException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(410));
		assertThat(surveys.byTicket(merchant.id(), answeredLate.ticketId()).orElseThrow().answered()).isFalse();
	}

	private SurveyStore.Survey surveyOfAResolvedTicket(Merchant merchant) {
		var ticket = ticket(merchant);
		changeStatus(merchant, ticket, "RESOLVED");
		trigger.run(new SurveyTriggerJob(merchant.id(), ticket), run());
		return surveys.byTicket(merchant.id(), ticket).orElseThrow();
	}

	private Merchant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return merchant;
	}

	private UUID ticket(Merchant merchant) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Printer on fire", "requester", Map.of("email", "ann@example.com")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private TestApi.Response changeStatus(Merchant merchant, UUID ticket, String status) {
		var response = api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(),
				Map.of("status", status, "reason", "test"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response;
	}

	/** The states of the ticket's {@code survey-trigger} jobs. */
	private List<String> surveyTriggerJobsOf(UUID ticket) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ?")
			.params("%" + SurveyTriggerJob.class.getName() + "%", "%" + ticket + "%")
			.query(String.class)
			.list();
	}

	private static JobRun run() {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.SURVEY_TRIGGER, "survey-trigger", 1);
	}
}
