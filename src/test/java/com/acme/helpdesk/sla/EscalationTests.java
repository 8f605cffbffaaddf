package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.sla.EscalationJob;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.sla.SlaMonitorJob;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.TicketPriorityChanged;

/**
 * Escalation with a controlled clock: the sweep opens the escalation and enqueues its batch job (no job servers run
 * here, so the test runs the job bodies the way the queue would, and reads what they scheduled). Times are in 2099,
 * so no job server would find these scheduled jobs due.
 */
@SlaTest
class EscalationTests {

	@Autowired
	TestApi api;

	@Autowired
	MutableClock clock;

	@Autowired
	SlaTestConfiguration.EventRecorder recorder;

	@Autowired
	SlaTestConfiguration.FixedReassigner reassigner;

	@Autowired
	RunSlaMonitor monitor;

	@Autowired
	ProcessEscalation processEscalation;

	@Autowired
	ProcessEscalationBatch processBatch;

	@Autowired
	Escalations escalations;

	@Autowired
	JdbcClient jdbc;

	@Test
	void breachWalksTheLevelsAtTheirDelaysAndStopsWhereTheTicketIsNoLongerInBreach() {
		var merchant = api.newMerchant();
		var supervisor = agent(merchant, "sup");
		var backup = agent(merchant, "backup");
		put(merchant, "/api/v1/sla-policies/HIGH", Map.of("firstResponse", "PT1H", "resolution", "PT8H"));
		put(merchant, "/api/v1/escalation-policy", """
				{"levels": [
				  {"after": "PT0S", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s"]},
				  {"after": "PT30M", "action": "RAISE_PRIORITY"},
				  {"after": "PT1H", "action": "REASSIGN"},
				  {"after": "PT2H", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s"]}]}"""
			.formatted(supervisor, supervisor));
		var created = Instant.parse("2099-01-05T08:00:00Z");
		clock.set(created);
		var ticketId = ticket(merchant, "HIGH");
		await().until(() -> clockCount(ticketId) == 2);
		var breach = created.plus(Duration.ofHours(1));

		sweepAt(breach.plusSeconds(30));
		var escalation = escalations.of(merchant.id(), ticketId);
		assertThat(escalation).singleElement().satisfies(e -> {
			assertThat(e.breachedAt()).isEqualTo(breach);
			assertThat(e.nextLevel()).isEqualTo(1);
		});
		var escalationId = escalation.get(0).id();
		// the sweep's batch job, enqueued after commit by the listener of EscalationsOpened
		await().until(() -> escalationJobs(ticketId, "escalation-batch") == 1);

		processBatch.run(new EscalationJob.Batch(merchant.id(), List.of(ticketId)), run("escalation-batch"));
		assertThat(recorder.of(TicketEscalated.class, ticketId)).singleElement().satisfies(e -> {
			assertThat(e.level()).isEqualTo(1);
			assertThat(e.action()).isEqualTo(EscalationAction.NOTIFY_SUPERVISOR);
			assertThat(e.supervisorAgentIds()).containsExactly(supervisor);
			assertThat(e.breachedAt()).isEqualTo(breach);
		});
		// level 2 waits as a scheduled job for breach + 30 minutes
		var level2 = EscalationJob.process(merchant.id(), ticketId, 2).derivedFrom(ProcessEscalation.JOB_ID_SOURCE,
				escalationId, 2);
		assertThat(jobState(level2.id())).isEqualTo("SCHEDULED");
		assertThat(scheduledAt(level2.id())).isEqualTo(breach.plus(Duration.ofMinutes(30)));

		// the batch job run again (a retry), and level 2 started too early: nothing happens
		processBatch.run(new EscalationJob.Batch(merchant.id(), List.of(ticketId)), run("escalation-batch"));
		clock.set(breach.plus(Duration.ofMinutes(20)));
		assertThatThrownBy(() -> processEscalation.run(level2.job(), run("escalation"))).hasMessageContaining("not due");
		assertThat(recorder.of(TicketEscalated.class, ticketId)).hasSize(1);

		clock.set(breach.plus(Duration.ofMinutes(30)));
		processEscalation.run(level2.job(), run("escalation"));
		processEscalation.run(level2.job(), run("escalation")); // a re-run changes nothing
		assertThat(recorder.of(TicketEscalated.class, ticketId)).extracting(TicketEscalated::level).containsExactly(1, 2);
		assertThat(api.get("/api/v1/tickets/" + ticketId, merchant.adminKey()).body().get("priority").asText())
			.isEqualTo("URGENT");
		assertThat(recorder.of(TicketPriorityChanged.class, ticketId)).singleElement()
			.satisfies(p -> assertThat(p.reason()).isEqualTo("SLA escalation level 2"));

		var level3 = EscalationJob.process(merchant.id(), ticketId, 3).derivedFrom(ProcessEscalation.JOB_ID_SOURCE,
				escalationId, 3);
		assertThat(scheduledAt(level3.id())).isEqualTo(breach.plus(Duration.ofHours(1)));
		reassigner.reassignTo(backup);
		clock.set(breach.plus(Duration.ofHours(1)));
		processEscalation.run(level3.job(), run("escalation"));
		assertThat(recorder.of(TicketEscalated.class, ticketId)).last().satisfies(e -> {
			assertThat(e.level()).isEqualTo(3);
			assertThat(e.action()).isEqualTo(EscalationAction.REASSIGN);
			assertThat(e.assigneeId()).isEqualTo(backup);
		});
		assertThat(api.get("/api/v1/tickets/" + ticketId, merchant.adminKey()).body().get("assigneeId").asText())
			.isEqualTo(backup.toString());

		// resolved before level 4: the escalation ends there
		clock.set(breach.plus(Duration.ofMinutes(90)));
		assertThat(api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(), Map.of("status", "RESOLVED"))
			.status()).isEqualTo(200);
		var level4 = EscalationJob.process(merchant.id(), ticketId, 4).derivedFrom(ProcessEscalation.JOB_ID_SOURCE,
				escalationId, 4);
		clock.set(breach.plus(Duration.ofHours(2)));
		processEscalation.run(level4.job(), run("escalation"));
		assertThat(recorder.of(TicketEscalated.class, ticketId)).extracting(TicketEscalated::level).containsExactly(1, 2, 3);
		assertThat(escalations.of(merchant.id(), ticketId)).singleElement()
			.satisfies(e -> assertThat(e.state()).isEqualTo(Escalations.State.ENDED));
	}

	@Test
	void firstResponseGivenAfterTheBreachEndsTheEscalationAndAMissingReassignerStillPublishesTheLevel() {
		var merchant = api.newMerchant();
		put(merchant, "/api/v1/sla-policies/LOW", Map.of("firstResponse", "PT10M", "resolution", "PT10H"));
		put(merchant, "/api/v1/escalation-policy", """
				{"levels": [{"after": "PT0S", "action": "REASSIGN"}, {"after": "PT5M", "action": "NOTIFY_SUPERVISOR"}]}""");
		var created = Instant.parse("2099-02-02T08:00:00Z");
		clock.set(created);
		var ticketId = ticket(merchant, "LOW");
		await().until(() -> clockCount(ticketId) == 2);
		reassigner.reassignTo(null); // no other eligible agent

		sweepAt(created.plus(Duration.ofMinutes(11)));
		processBatch.run(new EscalationJob.Batch(merchant.id(), List.of(ticketId)), run("escalation-batch"));
		assertThat(recorder.of(TicketEscalated.class, ticketId)).singleElement().satisfies(e -> {
			assertThat(e.action()).isEqualTo(EscalationAction.REASSIGN);
			assertThat(e.assigneeId()).isNull();
		});

		clock.set(created.plus(Duration.ofMinutes(12)));
		assertThat(api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "On it", "authorType", "AGENT")).status()).isEqualTo(201);
		await().until(() -> jdbc.sql("SELECT state FROM sla_clock WHERE ticket_id = ? AND metric = 'FIRST_RESPONSE'")
			.param(ticketId).query(String.class).single().equals("STOPPED"));
		clock.set(created.plus(Duration.ofMinutes(15)));
		processEscalation.escalate(merchant.id(), ticketId, 2);
		assertThat(recorder.of(TicketEscalated.class, ticketId)).hasSize(1);
		assertThat(escalations.of(merchant.id(), ticketId)).singleElement()
			.satisfies(e -> assertThat(e.state()).isEqualTo(Escalations.State.ENDED));
	}

	@Test
	void merchantWithoutEscalationPolicyOpensNoEscalation() {
		var merchant = api.newMerchant();
		put(merchant, "/api/v1/sla-policies/LOW", Map.of("firstResponse", "PT10M", "resolution", "PT10H"));
		var created = Instant.parse("2099-03-02T08:00:00Z");
		clock.set(created);
		var ticketId = ticket(merchant, "LOW");
		await().until(() -> clockCount(ticketId) == 2);
		sweepAt(created.plus(Duration.ofMinutes(11)));
		assertThat(recorder.of(SlaBreached.class, ticketId)).hasSize(1);
		assertThat(escalations.of(merchant.id(), ticketId)).isEmpty();
	}

	private void sweepAt(Instant now) {
		clock.set(now);
		monitor.run(new SlaMonitorJob("test"), run("sla-monitor"));
	}

	private static JobRun run(String jobName) {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.ESCALATION, jobName, 1);
	}

	private UUID agent(TestApi.Merchant merchant, String name) {
		var response = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", name, "email",
				name + "-" + UUID.randomUUID() + "@example.com", "capacity", 10, "availability", "ONLINE"));
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private void put(TestApi.Merchant merchant, String path, Object body) {
		var response = api.put(path, merchant.adminKey(), body);
		assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
	}

	private UUID ticket(TestApi.Merchant merchant, String priority) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Broken", "requester", Map.of("email", "bob@example.com"), "priority", priority));
		assertThat(response.status()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private long clockCount(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM sla_clock WHERE ticket_id = ?").param(ticketId).query(Long.class).single();
	}

	private long escalationJobs(UUID ticketId, String jobName) {
		return jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ?")
			.params("%" + ticketId + "%", "%" + jobName + "%")
			.query(Long.class)
			.single();
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional().orElse("NONE");
	}

	private Instant scheduledAt(UUID jobId) {
		return jdbc.sql("SELECT scheduledAt FROM jobrunr_jobs WHERE id = ?").param(jobId.toString())
			.query(java.sql.Timestamp.class).single().toInstant();
	}
}
