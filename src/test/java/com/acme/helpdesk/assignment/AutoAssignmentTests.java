package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

	@Test
	void tiesGoToTheAgentWhoWaitedLongest() {
		var category = category("LOAD_BALANCED");
		var first = agent("first", 4, "ONLINE", category);
		var second = agent("second", 4, "ONLINE", category);

		var a = assign(ticket(category)).orElseThrow();
		var b = assign(ticket(category)).orElseThrow();

		assertThat(List.of(a, b)).containsExactlyInAnyOrder(first, second);
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

	private int load(UUID agent) {
		return jdbc.sql("SELECT load FROM agent WHERE id = ?").param(agent).query(Integer.class).single();
	}

	private boolean waiting(UUID ticket) {
		return jdbc.sql("SELECT count(*) FROM assignment_waiting WHERE ticket_id = ?").param(ticket).query(Long.class).single() == 1;
	}
}
