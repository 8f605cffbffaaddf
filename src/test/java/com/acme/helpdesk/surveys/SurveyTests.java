package com.acme.helpdesk.surveys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.surveys.SurveyTriggerJob;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestMail;
import com.acme.helpdesk.support.WorkingHelpdeskTest;

/** Surveys end to end: trigger on resolve or close, the public page, the answer, replays and re-runs. */
@WorkingHelpdeskTest
class SurveyTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TriggerSurvey triggerSurvey;

	long surveys(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM survey WHERE ticket_id = ?").param(ticketId).query(Long.class).single();
	}

	@Test
	void resolveGivesOneSurveyMailedToTheRequesterAlsoAfterReplaysAndReruns() throws Exception {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var customers = Scenarios.domain();
		var ticket = given.ticket(merchant, customers);
		given.status(merchant, ticket, "RESOLVED");

		await().atMost(Duration.ofSeconds(20)).until(() -> TestMail.to(customers).stream()
			.anyMatch(mail -> mail.subject().contains("How did we do?")));
		var survey = api.get("/api/v1/tickets/" + ticket.id() + "/survey", merchant.adminKey());
		assertThat(survey.status()).isEqualTo(200);
		var token = survey.body().get("token").asText();
		assertThat(java.util.Base64.getUrlDecoder().decode(token)).hasSizeGreaterThanOrEqualTo(16);
		assertThat(survey.body().get("state").asText()).isEqualTo("REQUESTED");
		assertThat(survey.body().get("url").asText()).isEqualTo("https://help.example.test/public/v1/surveys/" + token);
		var mail = TestMail.to(customers).stream().filter(m -> m.subject().contains("How did we do?")).findFirst().orElseThrow();
		assertThat(mail.subject()).contains("#" + ticket.number()).contains(ticket.subject());
		assertThat(mail.body()).contains(survey.body().get("url").asText());

		given.replayEventsOf(ticket.id());
		var run = new JobRun(UUID.randomUUID(), "test-rerun:" + ticket.id(), JobQueue.SURVEY_TRIGGER, "survey-trigger", 1);
		triggerSurvey.run(new SurveyTriggerJob(merchant.id(), ticket.id()), run);
		triggerSurvey.run(new SurveyTriggerJob(merchant.id(), ticket.id()), run);
		triggerSurvey.run(new SurveyTriggerJob(merchant.id(), ticket.id()),
				new JobRun(UUID.randomUUID(), "test-other:" + ticket.id(), JobQueue.SURVEY_TRIGGER, "survey-trigger", 1));
		given.awaitListeners(ticket.id());
		assertThat(surveys(ticket.id())).isEqualTo(1);
		assertThat(api.get("/api/v1/tickets/" + ticket.id() + "/survey", merchant.adminKey()).body().get("token").asText())
			.isEqualTo(token);
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE '%SurveyRequested' AND serialized_event LIKE ?")
			.param("%" + ticket.id() + "%").query(Long.class).single()).isEqualTo(1);
		assertThat(TestMail.to(customers).stream().filter(m -> m.subject().contains("How did we do?"))).hasSize(1);
		// another merchant sees no survey of this ticket
		assertThat(api.get("/api/v1/tickets/" + ticket.id() + "/survey", api.newMerchant().adminKey()).status())
			.isEqualTo(404);
	}

	@Test
	void resolveReopenResolveStillGivesOneSurvey() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.status(merchant, ticket, "RESOLVED");
		await().atMost(Duration.ofSeconds(20)).until(() -> surveys(ticket.id()) == 1);
		given.status(merchant, ticket, "OPEN");
		given.status(merchant, ticket, "RESOLVED");
		given.status(merchant, ticket, "CLOSED");
		given.awaitListeners(ticket.id());
		given.awaitJobs(ticket.id());
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobSignature LIKE '%SurveyTrigger%'")
			.param("%" + ticket.id() + "%").query(Long.class).single()).isEqualTo(3);
		assertThat(surveys(ticket.id())).isEqualTo(1);
	}

	@Test
	// the delay is longer than the job servers' poll interval (5 s): JobRunr enqueues jobs due within the next poll at once
	void reopenWithinTheDelayGivesNoSurvey() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("surveyDelay", "PT8S")).status()).isEqualTo(200);
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.status(merchant, ticket, "RESOLVED");
		given.status(merchant, ticket, "OPEN");
		given.awaitListeners(ticket.id());
		assertThat(jdbc.sql("SELECT state FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobSignature LIKE '%SurveyTrigger%'")
			.param("%" + ticket.id() + "%").query(String.class).single()).isEqualTo("SCHEDULED");
		given.awaitJobs(ticket.id());
		assertThat(jdbc.sql("SELECT state FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobSignature LIKE '%SurveyTrigger%'")
			.param("%" + ticket.id() + "%").query(String.class).single()).isEqualTo("SUCCEEDED");
		assertThat(surveys(ticket.id())).isZero();
		assertThat(api.get("/api/v1/tickets/" + ticket.id() + "/survey", merchant.adminKey()).status()).isEqualTo(404);
	}

	@Test
	void pageChangesNothingAnswerIsTakenOnceBadAnswersAreRefusedAndExpiredOrUnknownSurveysAreGone() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.status(merchant, ticket, "CLOSED");
		await().atMost(Duration.ofSeconds(20)).until(() -> surveys(ticket.id()) == 1);
		var token = api.get("/api/v1/tickets/" + ticket.id() + "/survey", merchant.adminKey()).body().get("token").asText();
		var row = "SELECT row_to_json(s)::text FROM survey s WHERE ticket_id = ?";
		var before = jdbc.sql(row).param(ticket.id()).query(String.class).single();

		for (int i = 0; i < 2; i++) {
			var page = api.get("/public/v1/surveys/" + token, null);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body().get("ticketNumber").asLong()).isEqualTo(ticket.number());
			assertThat(page.body().get("subject").asText()).isEqualTo(ticket.subject());
			assertThat(page.body().get("answered").asBoolean()).isFalse();
			assertThat(page.body().get("question").asText()).isNotBlank();
			assertThat(page.body().has("expiresAt")).isTrue();
		}
		var bad = Map.of("{\"rating\":0}", "rating", "{\"rating\":6}", "rating", "{\"comment\":\"x\"}", "rating",
				"{\"rating\":5,\"comment\":\"" + "x".repeat(2001) + "\"}", "comment", "{\"rating\":\"five\"}", "rating");
		bad.forEach((body, field) -> {
			var response = api.post("/public/v1/surveys/" + token + "/response", null, body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.body().get("detail").asText()).as(body).contains(field);
		});
		assertThat(jdbc.sql(row).param(ticket.id()).query(String.class).single()).isEqualTo(before);

		var answer = api.post("/public/v1/surveys/" + token + "/response", null, Map.of("rating", 4, "comment", "Quick!"));
		assertThat(answer.status()).isEqualTo(201);
		assertThat(api.post("/public/v1/surveys/" + token + "/response", null, Map.of("rating", 1)).status()).isEqualTo(409);
		var answered = api.get("/api/v1/tickets/" + ticket.id() + "/survey", merchant.adminKey()).body();
		assertThat(answered.get("state").asText()).isEqualTo("ANSWERED");
		assertThat(answered.get("rating").asInt()).isEqualTo(4);
		assertThat(answered.get("comment").asText()).isEqualTo("Quick!");
		assertThat(api.get("/public/v1/surveys/" + token, null).body().get("answered").asBoolean()).isTrue();
		given.awaitListeners(ticket.id());
		// no listener of SurveyAnswered does work of its own: the live push is best-effort, with no publication
		assertThat(jdbc.sql("""
				SELECT listener_id, count(*) FROM event_publication
				WHERE event_type LIKE '%SurveyAnswered' AND serialized_event LIKE ? GROUP BY listener_id""")
			.param("%" + ticket.id() + "%")
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()).isEmpty();

		assertThat(api.get("/public/v1/surveys/nope", null).status()).isEqualTo(404);
		assertThat(api.post("/public/v1/surveys/nope/response", null, Map.of("rating", 3)).status()).isEqualTo(404);

		var other = given.ticket(merchant, Scenarios.domain());
		given.status(merchant, other, "RESOLVED");
		await().atMost(Duration.ofSeconds(20)).until(() -> surveys(other.id()) == 1);
		jdbc.sql("UPDATE survey SET expires_at = now() - interval '1 second' WHERE ticket_id = ?").param(other.id()).update();
		var expired = api.get("/api/v1/tickets/" + other.id() + "/survey", merchant.adminKey()).body();
		assertThat(expired.get("state").asText()).isEqualTo("EXPIRED");
		var expiredToken = expired.get("token").asText();
		assertThat(api.post("/public/v1/surveys/" + expiredToken + "/response", null, Map.of("rating", 3)).status())
			.isEqualTo(410);
		assertThat(api.get("/public/v1/surveys/" + expiredToken, null).status()).isEqualTo(410);
	}
}
