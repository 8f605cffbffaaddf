package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.Publications;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.RoutingStrategy;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketSummary;
import com.acme.helpdesk.tickets.Tickets;

/**
 * The assignment module: a new ticket of an automatically routed category gets its {@code assign} job with the ticket,
 * the job gives it to the least loaded online agent of the category, and agents' loads follow manual assignments and
 * resolutions.
 * <p>
 * Mode {@code ALL_DEPENDENCIES}: the module uses {@code tickets} (its assignment door and ticket summaries), whose beans
 * in turn use {@code outbound}; {@code outbox} is included because it is how this application records and completes
 * event publications. The tickets and agents a test needs are made through the real HTTP API; its job servers stay
 * off, the test runs {@link AutoAssignTicket} itself.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "outbox",
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class AssignmentModuleTests {

	private final AutoAssignTicket autoAssign;
	private final AgentRepository agents;
	private final Tickets tickets;
	private final TestApi api;
	private final JdbcClient jdbc;
	private final Publications publications;
	private final List<UUID> merchants = new ArrayList<>();

	private final TransactionTemplate transactions;
	private final ApplicationEventPublisher events;

	AssignmentModuleTests(AutoAssignTicket autoAssign, AgentRepository agents, Tickets tickets, TestApi api,
			JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher events) {
		this.transactions = transactions;
		this.events = events;
		this.autoAssign = autoAssign;
		this.agents = agents;
		this.tickets = tickets;
		this.api = api;
		this.jdbc = jdbc;
		this.publications = new Publications(jdbc);
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void aTicketOfAnAutomaticCategoryGetsItsAssignJobInTheTransactionThatCreatesIt(Scenario scenario) {
		var merchant = newMerchant();
		var automatic = ticketCreated(merchant, RoutingStrategy.LOAD_BALANCED);
		var manual = ticketCreated(merchant, RoutingStrategy.MANUAL);
		var rolledBack = ticketCreated(merchant, RoutingStrategy.ROUND_ROBIN);

		scenario.stimulate((transactions, events) -> {
			var seenBeforeCommit = transactions.execute(status -> {
				events.publishEvent(automatic);
				events.publishEvent(manual);
				return jobState(assignJobOf(automatic));
			});
			transactions.executeWithoutResult(status -> {
				events.publishEvent(rolledBack);
				status.setRollbackOnly();
			});
			return seenBeforeCommit;
		}).andWaitForStateChange(() -> jobState(assignJobOf(automatic))).andVerify((committed, seenBeforeCommit) -> {
			assertThat(seenBeforeCommit).as("written in the creating transaction").isEqualTo("ENQUEUED");
			assertThat(committed).isEqualTo("ENQUEUED");
			assertThat(jobState(assignJobOf(manual))).as("a MANUAL category's ticket waits for a person").isNull();
			assertThat(jobState(assignJobOf(rolledBack))).as("gone with its ticket's transaction").isNull();
		});
	}

	@Test
	void theAssignJobGivesTheTicketToTheLeastLoadedOnlineAgentOfItsCategoryOnce(Scenario scenario) {
		var merchant = newMerchant();
		var billing = category(merchant, "Billing", RoutingStrategy.LOAD_BALANCED);
		var shipping = category(merchant, "Shipping", RoutingStrategy.LOAD_BALANCED);
		var busy = agent(merchant, 10, Availability.ONLINE, billing, 3);
		var idle = agent(merchant, 10, Availability.ONLINE, billing, 1);
		var offline = agent(merchant, 10, Availability.OFFLINE, billing, 0);
		var elsewhere = agent(merchant, 10, Availability.ONLINE, shipping, 0);
		var ticket = ticket(merchant, billing);

		scenario.stimulate(() -> autoAssign.run(new AssignmentJob(merchant.id(), ticket), run()))
			.andWaitForEventOfType(TicketAssigned.class)
			.matchingMappedValue(TicketAssigned::ticketId, ticket)
			.toArriveAndVerify(event -> {
				assertThat(event.agentId()).isEqualTo(idle);
				assertThat(event.strategy()).isEqualTo("LOAD_BALANCED");
				assertThat(event.previousAgentId()).isNull();
				assertThat(tickets.find(merchant.id(), ticket).map(TicketSummary::assigneeId)).contains(idle);
			});
		assertThat(loadOf(idle)).isEqualTo(2);
		assertThat(List.of(loadOf(busy), loadOf(offline), loadOf(elsewhere))).containsExactly(3, 0, 0);

		scenario.stimulate(() -> autoAssign.run(new AssignmentJob(merchant.id(), ticket), run()))
			.andWaitForStateChange(() -> loadOf(idle))
			.andVerifyEvents(events -> assertThat(events.ofType(TicketAssigned.class).matching(TicketAssigned::ticketId, ticket))
				.as("a second run of the job finds the ticket assigned").hasSize(1));
		assertThat(loadOf(idle)).isEqualTo(2);
	}

	@Test
	void aManualAssignmentRaisesTheAgentsLoadOnceHoweverOftenItIsDelivered(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant, 5, Availability.ONLINE, null, 0);
		var ticket = ticket(merchant, null);
		var assigned = new TicketAssigned(UUID.randomUUID(), ticket, merchant.id(), agent, null, "MANUAL", Instant.now(), 1);

		scenario.publish(assigned)
			.andWaitForStateChange(() -> publications.completed(AssignmentListeners.ON_TICKET_ASSIGNED, assigned.eventId()),
					deliveries -> deliveries == 1)
			.andVerify(deliveries -> assertThat(loadOf(agent)).isEqualTo(1));

		scenario.publish(redelivered(assigned))
			.andWaitForStateChange(() -> publications.completed(AssignmentListeners.ON_TICKET_ASSIGNED, assigned.eventId()),
					deliveries -> deliveries == 2)
			.andVerify(deliveries -> assertThat(loadOf(agent)).as("the replay changes nothing").isEqualTo(1));
	}

	@Test
	void resolvingATicketLowersItsAssigneesLoad(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant, 5, Availability.ONLINE, null, 0);
		var ticket = ticket(merchant, null);

		scenario.stimulate(() -> api.post("/api/v1/tickets/" + ticket + "/assignment", merchant.adminKey(), Map.of("agentId", agent)))
			.andWaitForStateChange(() -> loadOf(agent), load -> load == 1)
			.andVerify((load, response) -> assertThat(response.status()).isEqualTo(200));

		scenario.stimulate(() -> api.post("/api/v1/tickets/" + ticket + "/status", merchant.adminKey(),
				Map.of("status", "RESOLVED", "reason", "fixed")))
			.andWaitForStateChange(() -> loadOf(agent), load -> load == 0)
			.andVerify((load, response) -> assertThat(response.status()).isEqualTo(200));
	}

	/**
	 * Two reassignments the other way round (Ann to Bob, Bob to Ann; agents of different categories) queue behind a
	 * transaction that holds both agents' rows, so both go on at the same moment: neither is chosen as a deadlock
	 * victim (which would roll its load changes back until the outbox resubmits it).
	 */
	@Test
	void twoReassignmentsTheOtherWayRoundAtOnceBothChangeTheLoads(Scenario scenario) throws Exception {
		var merchant = newMerchant();
		var ann = agent(merchant, 10, Availability.ONLINE, category(merchant, "Billing", RoutingStrategy.MANUAL), 5);
		var bob = agent(merchant, 10, Availability.ONLINE, category(merchant, "Shipping", RoutingStrategy.MANUAL), 5);
		var toBob = new TicketAssigned(UUID.randomUUID(), ticket(merchant, null), merchant.id(), bob, ann, "MANUAL",
				Instant.now(), 2);
		var toAnn = new TicketAssigned(UUID.randomUUID(), ticket(merchant, null), merchant.id(), ann, bob, "MANUAL",
				Instant.now(), 2);
		var holding = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		var holder = Executors.newSingleThreadExecutor();
		try {
			var held = holder.submit(() -> transactions.executeWithoutResult(status -> {
				jdbc.sql("SELECT id FROM agent WHERE id IN (?, ?) FOR UPDATE").params(ann, bob).query().listOfRows();
				holding.countDown();
				try {
					release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}));
			assertThat(holding.await(60, TimeUnit.SECONDS)).isTrue();
			transactions.executeWithoutResult(status -> {
				events.publishEvent(toBob);
				events.publishEvent(toAnn);
			});
			await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql("""
					SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					WHERE NOT l.granted AND a.datname = current_database()""").query(Long.class).single() >= 2);
			release.countDown();
			held.get(60, TimeUnit.SECONDS);
		}
		finally {
			release.countDown();
			holder.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> publications.completed(AssignmentListeners.ON_TICKET_ASSIGNED, toBob.eventId()) == 1
					&& publications.completed(AssignmentListeners.ON_TICKET_ASSIGNED, toAnn.eventId()) == 1);
		assertThat(loadOf(ann)).isEqualTo(5);
		assertThat(loadOf(bob)).isEqualTo(5);
	}

	private Merchant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return merchant;
	}

	private UUID category(Merchant merchant, String name, RoutingStrategy routing) {
		var response = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", name, "routing", Map.of("strategy", routing.name())));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	/** An agent of the category (none when null) with the given load of open tickets. */
	private UUID agent(Merchant merchant, int capacity, Availability availability, UUID categoryId, int load) {
		var email = "agent-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		var response = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", email, "email", email, "capacity",
				capacity, "availability", availability.name(), "categoryIds", categoryId == null ? List.of() : List.of(categoryId)));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		var id = UUID.fromString(response.body().get("id").asText());
		jdbc.sql("UPDATE agent SET load = ? WHERE id = ?").params(load, id).update();
		return id;
	}

	private UUID ticket(Merchant merchant, UUID categoryId) {
		var body = new HashMap<String, Object>(Map.of("subject", "Refund", "requester", Map.of("email", "ann@example.com")));
		if (categoryId != null) {
			body.put("categoryId", categoryId);
		}
		var response = api.post("/api/v1/tickets", merchant.adminKey(), body);
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private int loadOf(UUID agentId) {
		return agents.findById(agentId).orElseThrow().load();
	}

	private static JobRun run() {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.ASSIGNMENT, "assign", 1);
	}

	/** A ticket of the merchant that exists only as this event. */
	private static TicketCreated ticketCreated(Merchant merchant, RoutingStrategy routing) {
		return new TicketCreated(UUID.randomUUID(), UUID.randomUUID(), merchant.id(), 1, "Parcel missing", UUID.randomUUID(),
				List.of(), Priority.MEDIUM, routing, null, null, Instant.now(), 0);
	}

	private static UUID assignJobOf(TicketCreated event) {
		return AssignmentJob.assign(event.merchantId(), event.ticketId())
			.derivedFrom(AssignmentListeners.ENQUEUE_ASSIGNMENT, event.eventId())
			.id();
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional()
			.orElse(null);
	}

	/** The event again, as a redelivery brings it: an equal copy, not the instance published first. */
	private static TicketAssigned redelivered(TicketAssigned event) {
		return new TicketAssigned(event.eventId(), event.ticketId(), event.merchantId(), event.agentId(),
				event.previousAgentId(), event.strategy(), event.occurredAt(), event.ticketVersion());
	}
}
