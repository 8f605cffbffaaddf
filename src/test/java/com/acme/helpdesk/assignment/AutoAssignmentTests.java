package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;

/** The assignment rules, with the use case run directly (no job servers in this context). */
@HelpdeskTest
class AutoAssignmentTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AutoAssignTicket autoAssign;

	@Autowired
	Reassignment reassignment;

	@Autowired
	Assigner assigner;

	@Autowired
	TransactionTemplate transactions;

	Merchant merchant;

	@BeforeEach
	void setUp() {
		merchant = api.newMerchant();
	}

	@Test
	void loadBalancingPicksTheLowestLoadRelativeToCapacityAmongOnlineAgents() {
		var category = category("LOAD_BALANCED");
		var busy = agent("busy", 10, "ONLINE", category);
		var light = agent("light", 5, "ONLINE", category);
		agent("offline", 2, "OFFLINE", category);
		setLoad(busy, 3);
		setLoad(light, 1);

		var ticket = ticket(category);
		assertThat(assign(ticket)).contains(light);

		var view = api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body();
		assertThat(view.get("assigneeId").asText()).isEqualTo(light.toString());
		assertThat(view.get("assignmentReason").get("strategy").asText()).isEqualTo("LOAD_BALANCED");
		assertThat(view.get("assignmentReason").get("agentLoad").asInt()).isEqualTo(1);
		assertThat(view.get("assignmentReason").get("agentCapacity").asInt()).isEqualTo(5);
		assertThat(load(light)).isEqualTo(2);
	}

	/** Jobs sharing a transaction ask for the category's lock once each; the next transaction must take it again. */
	@Test
	void aTransactionTakesTheCategoryLockOnceAndTheNextOneTakesItAgain() {
		var category = category("LOAD_BALANCED");
		for (int transaction = 1; transaction <= 2; transaction++) {
			var held = transactions.execute(status -> {
				assigner.lockCategory(merchant.id(), category);
				assigner.lockCategory(merchant.id(), category);
				return jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
					.query(Long.class)
					.single();
			});
			assertThat(held).as("advisory locks held in transaction " + transaction).isEqualTo(1);
		}
	}

	@Test
	void tiesGoToTheAgentWhoWaitedLongest() {
		var category = category("LOAD_BALANCED");
		var recent = agent("recent", 4, "ONLINE", category);
		var waitedLongest = agent("waited-longest", 2, "ONLINE", category);
		var lately = agent("lately", 6, "ONLINE", category);
		setLoad(recent, 2, "2030-01-07T10:00:00Z");
		setLoad(waitedLongest, 1, "2030-01-07T08:00:00Z");
		setLoad(lately, 3, "2030-01-07T09:00:00Z");

		assertThat(assign(ticket(category))).contains(waitedLongest);

		var neverAssigned = agent("never-assigned", 8, "ONLINE", category);
		setLoad(neverAssigned, 4, null);
		assertThat(assign(ticket(category))).contains(neverAssigned);
	}

	@Test
	void anAwayAgentGetsNoTickets() {
		var category = category("LOAD_BALANCED");
		var away = agent("away", 10, "AWAY", category);
		var ticket = ticket(category);

		assertThat(assign(ticket)).isEmpty();
		assertThat(waiting(ticket)).isTrue();
		assertThat(load(away)).isZero();
	}

	@Test
	void withoutTheSettingAnAgentGoingOfflineKeepsTheirTickets() {
		assertThat(api.put("/api/v1/settings", merchant.adminKey(), Map.of("returnTicketsOfOfflineAgents", false))
			.status()).isEqualTo(200);
		var category = category("LOAD_BALANCED");
		var leaving = agent("leaving", 5, "ONLINE", category);
		var tickets = List.of(ticket(category), ticket(category));
		tickets.forEach(ticket -> assertThat(assign(ticket)).contains(leaving));

		assertThat(api.patch("/api/v1/agents/" + leaving, merchant.adminKey(), Map.of("availability", "OFFLINE"))
			.status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10)).until(() -> completed(AssignmentListeners.ON_AGENT_CHANGED,
				leaving.toString(), "\"availability\":\"OFFLINE\""));
		for (var ticket : tickets) {
			assertThat(api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("assigneeId").asText())
				.isEqualTo(leaving.toString());
		}
		assertThat(load(leaving)).isEqualTo(2);
	}

	/**
	 * An assignment that finds no room puts its ticket on the waiting list; while it has not committed, a resolve
	 * frees capacity. The drain of the resolve must not read the waiting list before that commit, or the ticket
	 * waits for good with an agent free.
	 */
	@Test
	void aTicketGoingOnTheWaitingListWhileCapacityFreesIsDrained() throws Exception {
		var category = category("LOAD_BALANCED");
		var agent = agent("busy", 1, "ONLINE", category);
		var held = ticket(category);
		assertThat(assign(held)).contains(agent);
		var late = ticket(category);
		var onWaitingList = new CountDownLatch(1);
		var commit = new CountDownLatch(1);
		var executor = Executors.newSingleThreadExecutor();
		try {
			var assignment = executor.submit(() -> transactions.execute(status -> {
				var result = autoAssign.assign(merchant.id(), late);
				onWaitingList.countDown();
				try {
					commit.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return result;
			}));
			try {
				assertThat(onWaitingList.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(api.post("/api/v1/tickets/" + held + "/status", merchant.adminKey(), Map.of("status", "RESOLVED"))
					.status()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> completed(AssignmentListeners.ON_STATUS_CHANGED, held.toString()) || waitingForAnAdvisoryLock());
			}
			finally {
				commit.countDown();
			}
			assertThat(assignment.get(10, TimeUnit.SECONDS)).isEmpty();
		}
		finally {
			executor.shutdownNow();
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> completed(AssignmentListeners.ON_STATUS_CHANGED, held.toString()));
		assertThat(load(agent)).isZero();
		assertThat(waiting(late)).isTrue();
		assertThat(jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ?")
			.params("%AssignWaitingJob%", "%" + category + "%")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void roundRobinCyclesThroughOnlineAgentsInOrderSkippingOfflineOnes() {
		var category = category("ROUND_ROBIN");
		var a = agent("a", 10, "ONLINE", category);
		var b = agent("b", 10, "ONLINE", category);
		agent("c", 10, "OFFLINE", category);
		var d = agent("d", 10, "ONLINE", category);

		var order = new ArrayList<UUID>();
		for (int i = 0; i < 6; i++) {
			order.add(assign(ticket(category)).orElseThrow());
		}
		assertThat(order).containsExactly(a, b, d, a, b, d);
	}

	@Test
	void manualRoutingLeavesTheTicketAlone() {
		var category = category("MANUAL");
		agent("a", 10, "ONLINE", category);
		var ticket = ticket(category);

		assertThat(assign(ticket)).isEmpty();
		assertThat(api.get("/api/v1/tickets/" + ticket, merchant.adminKey()).body().get("assigneeId").isNull()).isTrue();
		assertThat(waiting(ticket)).isFalse();
	}

	@Test
	void withoutRoomTheTicketWaitsAndRunningTheJobAgainChangesNothing() {
		var category = category("LOAD_BALANCED");
		var full = agent("full", 1, "ONLINE", category);
		var first = ticket(category);
		var second = ticket(category);

		assertThat(assign(first)).contains(full);
		assertThat(assign(second)).isEmpty();
		assertThat(waiting(second)).isTrue();

		assertThat(assign(first)).isEmpty();
		assertThat(load(full)).isEqualTo(1);
	}

	@Test
	void reassignmentGoesToAnotherAgentAndMovesTheLoad() {
		var category = category("LOAD_BALANCED");
		var a = agent("a", 5, "ONLINE", category);
		var ticket = ticket(category);
		assertThat(assign(ticket)).contains(a);
		var b = agent("b", 5, "ONLINE", category);

		assertThat(reassignment.reassign(merchant.id(), ticket, a)).contains(b);
		assertThat(load(a)).isZero();
		assertThat(load(b)).isEqualTo(1);
		assertThat(reassignment.reassign(merchant.id(), ticket, b)).contains(a);
	}

	@Test
	void anotherMerchantsTicketIsRefused() {
		var other = api.newMerchant();
		var category = category("LOAD_BALANCED");
		var ticket = ticket(category);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> transactions.execute(status -> autoAssign.assign(other.id(), ticket)))
			.isInstanceOf(com.acme.helpdesk.jobs.InvalidJobArgumentsException.class);
	}

	private Optional<UUID> assign(UUID ticket) {
		return transactions.execute(status -> autoAssign.assign(merchant.id(), ticket));
	}

	private UUID category(String strategy) {
		return UUID.fromString(api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "c-" + UUID.randomUUID(), "routing", Map.of("strategy", strategy)))
			.body()
			.get("id")
			.asText());
	}

	private UUID agent(String name, int capacity, String availability, UUID category) {
		var response = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", name, "email",
				name + "-" + UUID.randomUUID() + "@example.com", "capacity", capacity, "availability", availability,
				"categoryIds", List.of(category)));
		assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private UUID ticket(UUID category) {
		return UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "s", "requester", Map.of("email", "r@example.com"), "categoryId", category))
			.body()
			.get("id")
			.asText());
	}

	private void setLoad(UUID agent, int load) {
		jdbc.sql("UPDATE agent SET load = ? WHERE id = ?").params(load, agent).update();
	}

	private void setLoad(UUID agent, int load, String lastAssignedAt) {
		jdbc.sql("UPDATE agent SET load = ?, last_assigned_at = ?::timestamptz WHERE id = ?")
			.params(load, lastAssignedAt, agent)
			.update();
	}

	/** Whether the listener completed a publication whose event contains every fragment. */
	private boolean completed(String listenerId, String... fragments) {
		var sql = new StringBuilder("SELECT count(*) FROM event_publication WHERE listener_id = ? AND completion_date IS NOT NULL");
		var params = new ArrayList<Object>(List.of(listenerId));
		for (var fragment : fragments) {
			sql.append(" AND serialized_event LIKE ?");
			params.add("%" + fragment + "%");
		}
		return jdbc.sql(sql.toString()).params(params).query(Long.class).single() > 0;
	}

	private boolean waitingForAnAdvisoryLock() {
		return jdbc.sql("""
				SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
				  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
			.query(Long.class)
			.single() > 0;
	}

	private int load(UUID agent) {
		return jdbc.sql("SELECT load FROM agent WHERE id = ?").param(agent).query(Integer.class).single();
	}

	private boolean waiting(UUID ticket) {
		return jdbc.sql("SELECT count(*) FROM assignment_waiting WHERE ticket_id = ?").param(ticket).query(Long.class).single() == 1;
	}
}
