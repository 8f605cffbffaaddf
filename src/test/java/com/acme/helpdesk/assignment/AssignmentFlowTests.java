package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskWithJobsTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;

/** Tickets created over HTTP, assigned by the {@code assign} jobs of real JobRunr servers. */
@HelpdeskWithJobsTest
class AssignmentFlowTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Reassignment reassignment;

	Merchant merchant;
	UUID category;

	@BeforeEach
	void setUp() {
		merchant = api.newMerchant();
		category = UUID.fromString(api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Support", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText());
	}

	@Test
	void aCreatedTicketIsAssignedEnrichedAndHasRunningClocks() {
		var agent = agent("a", 10);
		api.put("/api/v1/sla-policies/HIGH", merchant.adminKey(), Map.of("firstResponse", "PT1H", "resolution", "PT8H"));
		var ticket = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Broken", "priority", "HIGH",
				"requester", Map.of("email", "c@example.com"), "categoryId", category, "context", Map.of("order", 7)))
			.body()
			.get("id")
			.asText();

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			var view = api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body();
			assertThat(view.get("assigneeId").asText()).isEqualTo(agent.toString());
			assertThat(view.get("enrichment").get("requesterHistory")).isNotNull();
			var clocks = api.get("/api/v1/tickets/" + ticket + "/sla", merchant.adminKey()).body().get("clocks");
			assertThat(clocks.findValuesAsText("state")).containsExactly("RUNNING", "RUNNING");
		});
	}

	@Test
	void threeHundredConcurrentTicketsSpreadEvenlyWithinCapacity() throws Exception {
		// capacity well above the even share, so only the load balancing can make the spread even
		var agents = List.of(agent("a", 200), agent("b", 200), agent("c", 200));

		createTickets(300);

		await().atMost(Duration.ofSeconds(60)).until(() -> unassigned() == 0);
		var loads = loads(agents);
		assertThat(loads.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
		assertThat(loads.stream().mapToInt(Integer::intValue).max().orElseThrow()
				- loads.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThanOrEqualTo(1);
		assertThat(loads).allMatch(load -> load <= 200);
		assertThat(loadsFromTickets(agents)).isEqualTo(loads);
	}

	@Test
	void ticketsBeyondCapacityWaitAndAreAssignedOldestFirstWhenCapacityFrees() throws Exception {
		var agents = List.of(agent("a", 50), agent("b", 50), agent("c", 50));

		var created = createTickets(300);

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(List.of(waiting(), unassigned())).containsExactly(150L, 150L));
		assertThat(loads(agents)).containsExactly(50, 50, 50);

		var resolvedOf = agents.get(0);
		var resolved = jdbc.sql("SELECT id FROM ticket WHERE assignee_id = ? ORDER BY created_at LIMIT 10")
			.param(resolvedOf)
			.query(UUID.class)
			.list();
		var oldestWaiting = jdbc.sql("SELECT ticket_id FROM assignment_waiting WHERE merchant_id = ? ORDER BY waiting_since LIMIT 10")
			.param(merchant.id())
			.query(UUID.class)
			.list();
		resolved.forEach(id -> assertThat(api.post("/api/v1/tickets/" + id + "/status", merchant.adminKey(),
				Map.of("status", "RESOLVED")).status()).isEqualTo(200));

		await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 140);
		assertThat(jdbc.sql("SELECT count(*) FROM ticket WHERE id = ANY (?) AND assignee_id IS NOT NULL")
			.param(oldestWaiting.toArray(UUID[]::new))
			.query(Long.class)
			.single()).isEqualTo(10);
		assertThat(loads(agents)).containsExactly(50, 50, 50);

		agents.forEach(agent -> api.patch("/api/v1/agents/" + agent, merchant.adminKey(), Map.of("capacity", 100)));
		await().atMost(Duration.ofSeconds(60)).until(() -> waiting() == 0 && unassigned() == 0);
		assertThat(loads(agents).stream().mapToInt(Integer::intValue).sum()).isEqualTo(290);
		assertThat(created).hasSize(300);
	}

	@Test
	void anAgentComingOnlineAndANewOnlineAgentTakeWaitingTicketsOldestFirst() {
		var returning = agent("returning", 2, "OFFLINE");
		var tickets = new ArrayList<UUID>();
		for (int i = 0; i < 4; i++) {
			tickets.add(createTickets(1).get(0));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == 4);

		api.patch("/api/v1/agents/" + returning, merchant.adminKey(), Map.of("availability", "ONLINE"));

		await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == 2);
		assertThat(assigneesOf(tickets)).containsExactly(returning, returning, null, null);

		var newcomer = agent("newcomer", 5);

		await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == 0 && unassigned() == 0);
		assertThat(assigneesOf(tickets)).containsExactly(returning, returning, newcomer, newcomer);
		assertThat(loads(List.of(returning, newcomer))).containsExactly(2, 2);
	}

	@Test
	void anEscalationReassignmentFreesCapacityForTheTicketsWaiting() {
		var billing = UUID.fromString(api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText());
		var both = UUID.fromString(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "both", "email",
				"both-" + UUID.randomUUID() + "@example.com", "capacity", 1, "availability", "ONLINE", "categoryIds",
				List.of(category, billing))).body().get("id").asText());
		var support = createTickets(1).get(0);
		await().atMost(Duration.ofSeconds(20)).until(() -> both.equals(assignees().get(support)));
		var supportOnly = agent("support-only", 1);
		var billingTicket = UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Invoice",
				"requester", Map.of("email", "c@example.com"), "categoryId", billing)).body().get("id").asText());
		await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == 1);

		assertThat(reassignment.reassign(merchant.id(), support, both)).contains(supportOnly);

		await().atMost(Duration.ofSeconds(20)).until(() -> both.equals(assignees().get(billingTicket)));
		assertThat(waiting()).isZero();
		assertThat(loads(List.of(both, supportOnly))).containsExactly(1, 1);
	}

	@Test
	void anAgentGoingOfflineReturnsNotYetStartedTicketsToThePool() {
		api.put("/api/v1/settings", merchant.adminKey(), Map.of("returnTicketsOfOfflineAgents", true));
		var leaving = agent("leaving", 10);
		var tickets = createTickets(4);
		await().atMost(Duration.ofSeconds(20)).until(() -> unassigned() == 0);
		api.post("/api/v1/tickets/" + tickets.get(0) + "/status", merchant.adminKey(), Map.of("status", "IN_PROGRESS"));
		var staying = agent("staying", 10);

		api.patch("/api/v1/agents/" + leaving, merchant.adminKey(), Map.of("availability", "OFFLINE"));

		await().atMost(Duration.ofSeconds(20)).until(() -> loads(List.of(leaving, staying)).equals(List.of(1, 3)));
		assertThat(api.get("/api/v1/tickets/" + tickets.get(0), merchant.adminKey()).body().get("assigneeId").asText())
			.isEqualTo(leaving.toString());
		assertThat(loadsFromTickets(List.of(leaving, staying))).containsExactly(1, 3);
	}

	@Test
	void replayingEveryPublicationChangesNoAssignmentOrLoad() {
		var agents = List.of(agent("a", 10), agent("b", 10));
		var tickets = createTickets(6);
		await().atMost(Duration.ofSeconds(20)).until(() -> unassigned() == 0);
		api.post("/api/v1/tickets/" + tickets.get(0) + "/status", merchant.adminKey(), Map.of("status", "CLOSED"));
		var handedOver = agents.stream().filter(agent -> !agent.equals(assignees().get(tickets.get(1)))).findFirst().orElseThrow();
		api.post("/api/v1/tickets/" + tickets.get(1) + "/assignment", merchant.adminKey(), Map.of("agentId", handedOver));
		await().atMost(Duration.ofSeconds(20)).until(() -> incomplete() == 0);
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(AssignmentListeners.ON_TICKET_ASSIGNED, "%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single()).as("a publication for the manual assignment, none for the six first automatic ones").isEqualTo(1);
		var assignees = assignees();
		var loads = loads(agents);

		jdbc.sql("UPDATE event_publication SET completion_date = NULL WHERE serialized_event LIKE ?")
			.param("%\"merchantId\":\"" + merchant.id() + "\"%")
			.update();
		api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));

		await().atMost(Duration.ofSeconds(20)).until(() -> incomplete() == 0);
		assertThat(assignees()).isEqualTo(assignees);
		assertThat(loads(agents)).isEqualTo(loads).isEqualTo(loadsFromTickets(agents));
	}

	private List<UUID> createTickets(int count) {
		var tasks = new ArrayList<Callable<UUID>>();
		for (int i = 0; i < count; i++) {
			var body = Map.of("subject", "Ticket " + i, "requester", Map.of("email", "c" + i + "@example.com"),
					"categoryId", category, "context", Map.of("order", i));
			tasks.add(() -> UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), body).body().get("id").asText()));
		}
		var pool = Executors.newFixedThreadPool(16);
		try {
			var ids = new ArrayList<UUID>();
			for (var future : pool.invokeAll(tasks)) {
				ids.add(future.get());
			}
			return ids;
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private UUID agent(String name, int capacity) {
		return agent(name, capacity, "ONLINE");
	}

	private UUID agent(String name, int capacity, String availability) {
		return UUID.fromString(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", name, "email",
				name + "-" + UUID.randomUUID() + "@example.com", "capacity", capacity, "availability", availability,
				"categoryIds", List.of(category))).body().get("id").asText());
	}

	private List<UUID> assigneesOf(List<UUID> tickets) {
		var assignees = assignees();
		return tickets.stream().map(assignees::get).toList();
	}

	private List<Integer> loads(List<UUID> agents) {
		return agents.stream()
			.map(agent -> jdbc.sql("SELECT load FROM agent WHERE id = ?").param(agent).query(Integer.class).single())
			.toList();
	}

	/** Load as it should be: the agent's tickets that are neither resolved nor closed. */
	private List<Integer> loadsFromTickets(List<UUID> agents) {
		return agents.stream()
			.map(agent -> jdbc.sql("SELECT count(*)::int FROM ticket WHERE assignee_id = ? AND status NOT IN ('RESOLVED', 'CLOSED')")
				.param(agent)
				.query(Integer.class)
				.single())
			.toList();
	}

	private Map<UUID, UUID> assignees() {
		var result = new java.util.HashMap<UUID, UUID>();
		jdbc.sql("SELECT id, assignee_id FROM ticket WHERE merchant_id = ?")
			.param(merchant.id())
			.query(rs -> {
				result.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
			});
		return result;
	}

	private long unassigned() {
		return jdbc.sql("SELECT count(*) FROM ticket WHERE merchant_id = ? AND assignee_id IS NULL AND status NOT IN ('RESOLVED', 'CLOSED')")
			.param(merchant.id())
			.query(Long.class)
			.single();
	}

	private long waiting() {
		return jdbc.sql("SELECT count(*) FROM assignment_waiting WHERE merchant_id = ?").param(merchant.id()).query(Long.class).single();
	}

	private long incomplete() {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?")
			.param("%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single();
	}
}
