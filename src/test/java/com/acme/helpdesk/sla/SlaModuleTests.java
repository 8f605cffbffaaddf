package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

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

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketMessageCreated;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.acme.helpdesk.tickets.Tickets;

/**
 * The SLA module, driven by the ticket events it listens to: a new ticket starts one clock per metric from its
 * merchant's policy, {@code PENDING} pauses them and the time spent there moves their due times, the first public agent
 * reply stops the first-response clock, the SLA monitor's sweep warns, then breaches, each clock once, and a breach
 * of a merchant with an escalation policy is escalated level by level.
 * <p>
 * Mode {@code ALL_DEPENDENCIES}: the module uses {@code tickets}, whose beans in turn use {@code outbound}.
 * {@code assignment} is included because the shared {@code tenancy} module and the SLA API ask its
 * {@code AgentDirectory} about agents (and it implements {@link EscalationReassigner}); {@code outbox} because it is how
 * this application records and completes event publications. Time is a {@link MutableClock}; the tickets exist only as
 * their events, except the escalated one (escalation reads the ticket), made through the real HTTP API. The instants are in 2024, before any other test's clocks, because a sweep flags every due clock of the
 * database.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class SlaModuleTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class SettableTime {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
		}
	}

	private final SlaPolicies policies;
	private final EscalationPolicies escalationPolicies;
	private final SlaClocks clocks;
	private final RunSlaMonitor monitor;
	private final ProcessEscalation escalation;
	private final Tickets tickets;
	private final MutableClock clock;
	private final TestApi api;
	private final JdbcClient jdbc;
	private final List<UUID> merchants = new ArrayList<>();

	SlaModuleTests(SlaPolicies policies, EscalationPolicies escalationPolicies, SlaClocks clocks, RunSlaMonitor monitor,
			ProcessEscalation escalation, Tickets tickets, MutableClock clock, TestApi api, JdbcClient jdbc) {
		this.policies = policies;
		this.escalationPolicies = escalationPolicies;
		this.clocks = clocks;
		this.monitor = monitor;
		this.escalation = escalation;
		this.tickets = tickets;
		this.clock = clock;
		this.api = api;
		this.jdbc = jdbc;
	}

	/** The clocks of tickets that exist only as events must not run into the sweeps of later test classes. */
	@AfterAll
	void removeTheClocksAndJobsOfTheseMerchants() {
		merchants.forEach(merchant -> jdbc.sql("DELETE FROM sla_clock WHERE merchant_id = ?").param(merchant).update());
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void aNewTicketStartsOneClockPerMetricFromThePolicyOfItsPriority(Scenario scenario) {
		var merchant = newMerchant().id();
		policies.save(merchant, new SlaPolicy(Priority.HIGH, Duration.ofHours(1), Duration.ofHours(8), 80, null));
		var createdAt = Instant.parse("2024-02-05T10:00:00Z");
		var high = ticketCreated(merchant, Priority.HIGH, createdAt);
		var low = ticketCreated(merchant, Priority.LOW, createdAt);

		scenario.publish(high)
			.andWaitForStateChange(() -> clocksOf(merchant, high.ticketId()), clocks -> clocks.size() == 2)
			.andVerify(clocks -> {
				var firstResponse = clocks.get(SlaMetric.FIRST_RESPONSE);
				assertThat(firstResponse.state()).isEqualTo(ClockState.RUNNING);
				assertThat(firstResponse.dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(1)));
				assertThat(firstResponse.warnAt()).isEqualTo(createdAt.plus(Duration.ofMinutes(48)));
				assertThat(clocks.get(SlaMetric.RESOLUTION).dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(8)));
			});

		// clocks start in the publishing transaction: once it has committed, none now means none ever
		scenario.publish(low)
			.andWaitForStateChange(() -> clocksOf(merchant, low.ticketId()), clocks -> true)
			.andVerify(clocks -> assertThat(clocks).as("no policy for LOW, no clock").isEmpty());
	}

	@Test
	void pendingPausesTheClocksAndTheTimeSpentThereMovesTheirDueTimes(Scenario scenario) {
		var merchant = newMerchant().id();
		policies.save(merchant, new SlaPolicy(Priority.MEDIUM, Duration.ofHours(1), Duration.ofHours(4), 80, null));
		var createdAt = Instant.parse("2024-02-06T10:00:00Z");
		var created = ticketCreated(merchant, Priority.MEDIUM, createdAt);
		scenario.publish(created).andWaitForStateChange(() -> clocksOf(merchant, created.ticketId()), clocks -> clocks.size() == 2);

		scenario.publish(statusChanged(created, TicketStatus.OPEN, TicketStatus.PENDING, createdAt.plus(Duration.ofMinutes(30))))
			.andWaitForStateChange(() -> clocksOf(merchant, created.ticketId()),
					clocks -> clocks.values().stream().allMatch(c -> c.state() == ClockState.PAUSED))
			.andVerify(clocks -> assertThat(clocks.get(SlaMetric.RESOLUTION).dueAt())
				.as("a paused clock keeps its last due time").isEqualTo(createdAt.plus(Duration.ofHours(4))));

		scenario.publish(statusChanged(created, TicketStatus.PENDING, TicketStatus.OPEN, createdAt.plus(Duration.ofMinutes(150))))
			.andWaitForStateChange(() -> clocksOf(merchant, created.ticketId()),
					clocks -> clocks.values().stream().allMatch(c -> c.state() == ClockState.RUNNING))
			.andVerify(clocks -> {
				assertThat(clocks.get(SlaMetric.FIRST_RESPONSE).dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(3)));
				assertThat(clocks.get(SlaMetric.RESOLUTION).dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(6)));
			});
	}

	@Test
	void theFirstPublicAgentReplyStopsTheFirstResponseClockOnly(Scenario scenario) {
		var merchant = newMerchant().id();
		policies.save(merchant, new SlaPolicy(Priority.URGENT, Duration.ofMinutes(15), Duration.ofHours(2), 50, null));
		var createdAt = Instant.parse("2024-02-07T10:00:00Z");
		var created = ticketCreated(merchant, Priority.URGENT, createdAt);
		scenario.publish(created).andWaitForStateChange(() -> clocksOf(merchant, created.ticketId()), clocks -> clocks.size() == 2);

		var reply = new TicketMessageCreated(UUID.randomUUID(), created.ticketId(), merchant, UUID.randomUUID(),
				AuthorType.AGENT, null, false, true, createdAt.plus(Duration.ofMinutes(5)), 1);
		scenario.publish(reply)
			.andWaitForStateChange(() -> clocksOf(merchant, created.ticketId()),
					clocks -> clocks.get(SlaMetric.FIRST_RESPONSE).state() == ClockState.STOPPED)
			.andVerify(clocks -> assertThat(clocks.get(SlaMetric.RESOLUTION).state()).isEqualTo(ClockState.RUNNING));
	}

	@Test
	void theMonitorWarnsThenBreachesEachClockOnce(Scenario scenario) {
		var merchant = newMerchant().id();
		policies.save(merchant, new SlaPolicy(Priority.HIGH, Duration.ofHours(1), Duration.ofHours(8), 80, null));
		var createdAt = Instant.parse("2024-02-08T10:00:00Z");
		var created = ticketCreated(merchant, Priority.HIGH, createdAt);
		var ticketId = created.ticketId();
		scenario.publish(created).andWaitForStateChange(() -> clocksOf(merchant, ticketId), clocks -> clocks.size() == 2);

		clock.set(createdAt.plus(Duration.ofMinutes(48)));
		scenario.stimulate(this::sweep)
			.andWaitForEventOfType(SlaWarning.class)
			.matchingMappedValue(SlaWarning::ticketId, ticketId)
			.toArriveAndVerify(warning -> {
				assertThat(warning.metric()).isEqualTo(SlaMetric.FIRST_RESPONSE);
				assertThat(warning.cycle()).isEqualTo(1);
				assertThat(warning.dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(1)));
			});

		clock.set(createdAt.plus(Duration.ofHours(1)));
		scenario.stimulate(this::sweep)
			.andWaitForEventOfType(SlaBreached.class)
			.matchingMappedValue(SlaBreached::ticketId, ticketId)
			.toArriveAndVerify(breach -> {
				assertThat(breach.metric()).isEqualTo(SlaMetric.FIRST_RESPONSE);
				assertThat(breach.dueAt()).isEqualTo(createdAt.plus(Duration.ofHours(1)));
			});

		clock.set(createdAt.plus(Duration.ofHours(2)));
		scenario.stimulate(this::sweep)
			.andWaitForStateChange(() -> clocksOf(merchant, ticketId))
			.andVerifyEvents(events -> {
				assertThat(events.ofType(SlaWarning.class).matching(SlaWarning::ticketId, ticketId))
					.extracting(SlaWarning::metric).containsExactly(SlaMetric.FIRST_RESPONSE);
				assertThat(events.ofType(SlaBreached.class).matching(SlaBreached::ticketId, ticketId))
					.extracting(SlaBreached::metric).containsExactly(SlaMetric.FIRST_RESPONSE);
			});
		var firstResponse = clocksOf(merchant, ticketId).get(SlaMetric.FIRST_RESPONSE);
		assertThat(firstResponse.warned()).isTrue();
		assertThat(firstResponse.breached()).isTrue();
	}

	@Test
	void aBreachOfAMerchantWithAnEscalationPolicyEscalatesTheTicketLevelByLevel(Scenario scenario) {
		var merchant = newMerchant();
		policies.save(merchant.id(), new SlaPolicy(Priority.HIGH, Duration.ofHours(1), Duration.ofHours(8), 80, null));
		var supervisor = UUID.randomUUID();
		escalationPolicies.save(merchant.id(), new EscalationPolicy(List.of(
				new EscalationPolicy.Level(Duration.ZERO, EscalationAction.NOTIFY_SUPERVISOR, List.of(supervisor)),
				new EscalationPolicy.Level(Duration.ofMinutes(30), EscalationAction.RAISE_PRIORITY, List.of()))));
		var createdAt = Instant.parse("2024-02-09T10:00:00Z");
		clock.set(createdAt);
		var ticket = ticket(merchant, Priority.HIGH);
		assertThat(clocksOf(merchant.id(), ticket)).as("started with the ticket").hasSize(2);

		clock.set(createdAt.plus(Duration.ofHours(1)));
		scenario.stimulate(this::sweep)
			.andWaitForEventOfType(EscalationsOpened.class)
			.matching(opened -> opened.ticketIds().contains(ticket))
			.toArriveAndVerify(opened -> assertThat(jobState(EscalationJob.batch(merchant.id(), opened.ticketIds())
				.derivedFrom(EscalationListeners.ESCALATE_BREACHES, opened.eventId())
				.id())).as("the escalation-batch job, written in the sweep's transaction").isEqualTo("ENQUEUED"));

		scenario.stimulate(() -> escalation.run(new EscalationJob.Level(merchant.id(), ticket, 1), run(JobQueue.ESCALATION, "escalation")))
			.andWaitForEventOfType(TicketEscalated.class)
			.matchingMappedValue(TicketEscalated::ticketId, ticket)
			.toArriveAndVerify(escalated -> {
				assertThat(escalated.level()).isEqualTo(1);
				assertThat(escalated.action()).isEqualTo(EscalationAction.NOTIFY_SUPERVISOR);
				assertThat(escalated.supervisorAgentIds()).containsExactly(supervisor);
				assertThat(escalated.breachedAt()).isEqualTo(createdAt.plus(Duration.ofHours(1)));
			});

		clock.set(createdAt.plus(Duration.ofMinutes(90)));
		scenario.stimulate(() -> escalation.run(new EscalationJob.Level(merchant.id(), ticket, 2), run(JobQueue.ESCALATION, "escalation")))
			.andWaitForEventOfType(TicketEscalated.class)
			.matchingMappedValue(TicketEscalated::ticketId, ticket)
			.matchingMappedValue(TicketEscalated::level, 2)
			.toArriveAndVerify(escalated -> {
				assertThat(escalated.action()).isEqualTo(EscalationAction.RAISE_PRIORITY);
				assertThat(tickets.find(merchant.id(), ticket).orElseThrow().priority()).isEqualTo(Priority.URGENT);
			});
	}

	private Merchant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return merchant;
	}

	private UUID ticket(Merchant merchant, Priority priority) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Printer on fire",
				"priority", priority.name(), "requester", Map.of("email", "ann@example.com")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private void sweep() {
		monitor.run(new SlaMonitorJob("test"), run(JobQueue.SLA_MONITOR, "sla-monitor"));
	}

	private static JobRun run(JobQueue queue, String jobName) {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), queue, jobName, 1);
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional()
			.orElse(null);
	}

	private Map<SlaMetric, SlaClock> clocksOf(UUID merchantId, UUID ticketId) {
		return clocks.of(merchantId, ticketId).stream().collect(Collectors.toMap(SlaClock::metric, Function.identity()));
	}

	/** A ticket of the merchant that exists only as its events. */
	private static TicketCreated ticketCreated(UUID merchantId, Priority priority, Instant at) {
		return new TicketCreated(UUID.randomUUID(), UUID.randomUUID(), merchantId, 1, "Printer on fire", null, List.of(),
				priority, null, null, null, at, 0);
	}

	private static TicketStatusChanged statusChanged(TicketCreated ticket, TicketStatus from, TicketStatus to, Instant at) {
		return new TicketStatusChanged(UUID.randomUUID(), ticket.ticketId(), ticket.merchantId(), from, to, "test", null, at, 1);
	}
}
