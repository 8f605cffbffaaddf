package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;

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

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.support.TestApi.Response;

@HelpdeskTest
class TicketApiTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	Merchant merchant;
	String categoryId;
	String tagId;

	@BeforeEach
	void setUp() {
		merchant = api.newMerchant();
		categoryId = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "MANUAL")))
			.body()
			.get("id")
			.asText();
		tagId = api.post("/api/v1/tags", merchant.adminKey(), Map.of("name", "vip")).body().get("id").asText();
	}

	@Test
	void createsTicketWithNumberAndAnswersItsShape() {
		var created = createTicket(Map.of("subject", "Card declined", "description", "It fails at checkout",
				"requester", Map.of("email", "ann@example.com", "name", "Ann"), "categoryId", categoryId, "priority",
				"HIGH", "tagIds", List.of(tagId), "context", Map.of("orderId", "A-1"), "metadata",
				Map.of("channel", "web")));

		assertThat(created.status()).isEqualTo(201);
		var ticket = created.body();
		assertThat(ticket.get("number").asLong()).isEqualTo(1);
		assertThat(ticket.get("status").asText()).isEqualTo("OPEN");
		assertThat(ticket.get("priority").asText()).isEqualTo("HIGH");
		assertThat(ticket.get("categoryId").asText()).isEqualTo(categoryId);
		assertThat(ticket.get("requester").get("email").asText()).isEqualTo("ann@example.com");
		assertThat(ticket.get("metadata").get("tagIds").get(0).asText()).isEqualTo(tagId);
		assertThat(ticket.get("metadata").get("channel").asText()).isEqualTo("web");
		assertThat(ticket.get("context").get("orderId").asText()).isEqualTo("A-1");
		assertThat(ticket.has("assigneeId")).isTrue();
		assertThat(ticket.get("version").asLong()).isZero();

		var second = createTicket(minimalTicket("Second"));
		assertThat(second.body().get("number").asLong()).isEqualTo(2);

		var fetched = api.get("/api/v1/tickets/" + ticket.get("id").asText(), merchant.adminKey());
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.body().get("subject").asText()).isEqualTo("Card declined");
	}

	@Test
	void sameIdempotencyKeyAnswersTheSameTicketAndWritesNothingNew() {
		var body = minimalTicket("Refund");
		var first = api.post("/api/v1/tickets", merchant.adminKey(), body, Map.of("Idempotency-Key", "k-1"));
		var again = api.post("/api/v1/tickets", merchant.adminKey(), body, Map.of("Idempotency-Key", "k-1"));

		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
		assertThat(ticketCount()).isEqualTo(1);
		assertThat(publicationsOf(first.body().get("id").asText())).isEqualTo(publicationsPerTicket());

		var reused = api.post("/api/v1/tickets", merchant.adminKey(), minimalTicket("Other"),
				Map.of("Idempotency-Key", "k-1"));
		assertThat(reused.status()).isEqualTo(422);
		assertThat(ticketCount()).isEqualTo(1);
	}

	@Test
	void twentyConcurrentRequestsWithOneIdempotencyKeyMakeOneTicket() throws Exception {
		var body = minimalTicket("Concurrent");
		var tasks = new ArrayList<Callable<Response>>();
		for (int i = 0; i < 20; i++) {
			tasks.add(() -> api.post("/api/v1/tickets", merchant.adminKey(), body, Map.of("Idempotency-Key", "same")));
		}
		var pool = Executors.newFixedThreadPool(20);
		try {
			var ids = new java.util.HashSet<String>();
			for (var future : pool.invokeAll(tasks)) {
				assertThat(future.get().status()).isEqualTo(201);
				ids.add(future.get().body().get("id").asText());
			}
			assertThat(ids).hasSize(1);
			assertThat(ticketCount()).isEqualTo(1);
			assertThat(publicationsOf(ids.iterator().next())).isEqualTo(publicationsPerTicket());
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void concurrentCategoriesWithOneNameMakeOneAndTheOthersAnswer409() throws Exception {
		var tasks = new ArrayList<Callable<Response>>();
		for (int i = 0; i < 10; i++) {
			tasks.add(() -> api.post("/api/v1/categories", merchant.adminKey(),
					Map.of("name", "Refunds", "routing", Map.of("strategy", "MANUAL"))));
		}
		var pool = Executors.newFixedThreadPool(10);
		try {
			var statuses = new ArrayList<Integer>();
			for (var future : pool.invokeAll(tasks)) {
				statuses.add(future.get().status());
			}
			assertThat(statuses).containsOnly(201, 409);
			assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void badInputAnswers400NamingTheFieldAndWritesNothing() {
		var foreign = api.newMerchant();
		var foreignCategory = api.post("/api/v1/categories", foreign.adminKey(),
				Map.of("name", "Theirs", "routing", Map.of("strategy", "MANUAL")))
			.body()
			.get("id")
			.asText();
		var requester = Map.of("email", "ann@example.com");

		assertBadRequest(Map.of("requester", requester), "subject");
		assertBadRequest(Map.of("subject", "   ", "requester", requester), "subject");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "priority", "SUPER"), "priority");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "categoryId", UUID.randomUUID()), "categoryId");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "categoryId", foreignCategory), "categoryId");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "categoryId", "not-a-uuid"), "categoryId");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "description", "x".repeat(50_001)),
				"description");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "context", Map.of("blob", "x".repeat(20_000))),
				"context");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "context", List.of(1, 2)), "context");
		assertBadRequest(Map.of("subject", 42, "requester", requester), "subject");
		assertBadRequest(Map.of("subject", "s", "requester", "ann"), "requester");
		assertBadRequest(Map.of("subject", "s", "requester", Map.of("email", "not-an-email")), "requester.email");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "tagIds", List.of(UUID.randomUUID())),
				"tagIds[0]");
		assertBadRequest(Map.of("subject", "s", "requester", requester, "colour", "red"), "colour");
		assertBadRequest("{\"subject\": \"s\", ", "body");
		assertBadRequest("", "body");

		var badKey = api.post("/api/v1/tickets", merchant.adminKey(), minimalTicket("s"),
				Map.of("Idempotency-Key", "k".repeat(300)));
		assertThat(badKey.status()).isEqualTo(400);
		assertThat(badKey.body().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");

		assertThat(ticketCount()).isZero();
	}

	@Test
	void forbiddenStatusChangeAnswers409AndAllowedOnesApply() {
		var id = createTicket(minimalTicket("Status")).body().get("id").asText();

		assertThat(changeStatus(id, "IN_PROGRESS").status()).isEqualTo(200);
		assertThat(changeStatus(id, "RESOLVED").body().get("resolvedAt").isNull()).isFalse();
		var forbidden = changeStatus(id, "PENDING");
		assertThat(forbidden.status()).isEqualTo(409);
		assertThat(forbidden.body().get("detail").asText()).contains("RESOLVED");
		assertThat(changeStatus(id, "CLOSED").status()).isEqualTo(200);
		assertThat(changeStatus(id, "OPEN").status()).isEqualTo(409);
		assertThat(changeStatus(id, "BOGUS").status()).isEqualTo(400);

		var ticket = api.get("/api/v1/tickets/" + id, merchant.adminKey()).body();
		assertThat(ticket.get("status").asText()).isEqualTo("CLOSED");
		assertThat(ticket.get("version").asLong()).isEqualTo(3);
	}

	@Test
	void anotherMerchantsTicketMessageAndCategoryAnswer404() {
		var id = createTicket(minimalTicket("Mine")).body().get("id").asText();
		var message = api.post("/api/v1/tickets/" + id + "/messages", merchant.adminKey(),
				Map.of("body", "Hello", "authorType", "CUSTOMER"));
		assertThat(message.status()).isEqualTo(201);
		var messageId = message.body().get("id").asText();

		var other = api.newMerchant();
		assertThat(api.get("/api/v1/tickets/" + id, other.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/tickets/" + id + "/messages", other.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/tickets/" + id + "/messages/" + messageId, other.adminKey()).status())
			.isEqualTo(404);
		assertThat(api.post("/api/v1/tickets/" + id + "/messages", other.adminKey(),
				Map.of("body", "Hi", "authorType", "AGENT")).status()).isEqualTo(404);
		assertThat(api.post("/api/v1/tickets/" + id + "/status", other.adminKey(), Map.of("status", "CLOSED"))
			.status()).isEqualTo(404);
		assertThat(api.get("/api/v1/categories/" + categoryId, other.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/tickets", other.adminKey()).body().get("totalItems").asLong()).isZero();
		assertThat(api.get("/api/v1/categories", other.adminKey()).body().get("items")).isEmpty();
	}

	@Test
	void missingOrWrongKeyAnswers401() {
		var missing = api.get("/api/v1/tickets", null);
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.body().get("status").asInt()).isEqualTo(401);
		assertThat(api.get("/api/v1/tickets", "hd_wrong").status()).isEqualTo(401);
		assertThat(api.post("/api/v1/tickets", "hd_wrong", minimalTicket("x")).status()).isEqualTo(401);
		assertThat(api.post("/ops/v1/merchants", merchant.adminKey(), Map.of("name", "x")).status()).isEqualTo(401);
		assertThat(api.post("/ops/v1/merchants", null, Map.of("name", "x")).status()).isEqualTo(401);
		assertThat(ticketCount()).isZero();
	}

	@Test
	void listsTicketsPagedAndFiltered() {
		var first = createTicket(Map.of("subject", "One", "requester", Map.of("email", "a@example.com"), "categoryId",
				categoryId, "tagIds", List.of(tagId)))
			.body();
		createTicket(Map.of("subject", "Two", "requester", Map.of("email", "b@example.com"), "priority", "URGENT"));
		var third = createTicket(minimalTicket("Three")).body();
		changeStatus(third.get("id").asText(), "PENDING");

		var page = api.get("/api/v1/tickets?size=2", merchant.adminKey()).body();
		assertThat(page.get("totalItems").asLong()).isEqualTo(3);
		assertThat(page.get("items")).hasSize(2);
		assertThat(page.get("size").asInt()).isEqualTo(2);
		assertThat(page.get("items").get(0).get("subject").asText()).isEqualTo("Three");

		assertThat(subjects("?categoryId=" + categoryId)).containsExactly("One");
		assertThat(subjects("?tagId=" + tagId)).containsExactly("One");
		assertThat(subjects("?status=PENDING")).containsExactly("Three");
		assertThat(subjects("?priority=URGENT")).containsExactly("Two");
		assertThat(api.get("/api/v1/tickets?status=NOPE", merchant.adminKey()).status()).isEqualTo(400);
		assertThat(api.get("/api/v1/tickets?size=1000", merchant.adminKey()).body().get("errors").get(0).get("field")
			.asText()).isEqualTo("size");
		assertThat(first.get("id")).isNotNull();
	}

	@Test
	void messagesMarkFirstResponseAndCustomerReplyReopens() {
		var id = createTicket(minimalTicket("Messages")).body().get("id").asText();
		var agent = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Bo", "email", "bo@example.com", "capacity", 5))
			.body();
		var agentKey = agent.get("apiKey").asText();

		var note = api.post("/api/v1/tickets/" + id + "/messages", agentKey,
				Map.of("body", "internal", "authorType", "AGENT", "internal", true));
		assertThat(note.status()).isEqualTo(201);
		assertThat(api.get("/api/v1/tickets/" + id, agentKey).body().get("firstResponseAt").isNull()).isTrue();

		var reply = api.post("/api/v1/tickets/" + id + "/messages", agentKey,
				Map.of("body", "We are on it", "authorType", "AGENT"));
		assertThat(reply.body().get("authorId").asText()).isEqualTo(agent.get("id").asText());
		assertThat(api.get("/api/v1/tickets/" + id, agentKey).body().get("firstResponseAt").isNull()).isFalse();

		changeStatus(id, "PENDING");
		api.post("/api/v1/tickets/" + id + "/messages", merchant.adminKey(), Map.of("body", "Thanks", "authorType", "CUSTOMER"));
		assertThat(api.get("/api/v1/tickets/" + id, agentKey).body().get("status").asText()).isEqualTo("OPEN");

		var customerNote = api.post("/api/v1/tickets/" + id + "/messages", merchant.adminKey(),
				Map.of("body", "x", "authorType", "CUSTOMER", "internal", true));
		assertThat(customerNote.status()).isEqualTo(400);
		assertThat(api.post("/api/v1/tickets/" + id + "/messages", agentKey, Map.of("body", "", "authorType", "AGENT"))
			.status()).isEqualTo(400);

		var messages = api.get("/api/v1/tickets/" + id + "/messages", agentKey).body();
		assertThat(messages.get("totalItems").asLong()).isEqualTo(3);
	}

	@Test
	void assignsTicketByHandToOneOfTheMerchantsAgents() {
		var id = createTicket(minimalTicket("Assign")).body().get("id").asText();
		var agentId = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Cy", "email", "cy@example.com", "capacity", 5))
			.body()
			.get("id")
			.asText();
		var other = api.newMerchant();
		var foreignAgent = api.post("/api/v1/agents", other.adminKey(),
				Map.of("name", "Di", "email", "di@example.com", "capacity", 5))
			.body()
			.get("id")
			.asText();

		var assigned = api.post("/api/v1/tickets/" + id + "/assignment", merchant.adminKey(), Map.of("agentId", agentId));
		assertThat(assigned.status()).isEqualTo(200);
		assertThat(assigned.body().get("assigneeId").asText()).isEqualTo(agentId);
		assertThat(assigned.body().get("assignmentReason").get("strategy").asText()).isEqualTo("MANUAL");

		var foreign = api.post("/api/v1/tickets/" + id + "/assignment", merchant.adminKey(),
				Map.of("agentId", foreignAgent));
		assertThat(foreign.status()).isEqualTo(400);
		assertThat(foreign.body().get("errors").get(0).get("field").asText()).isEqualTo("agentId");
	}

	private List<String> subjects(String query) {
		var items = api.get("/api/v1/tickets" + query, merchant.adminKey()).body().get("items");
		var subjects = new ArrayList<String>();
		items.forEach(item -> subjects.add(item.get("subject").asText()));
		return subjects;
	}

	private void assertBadRequest(Object body, String field) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(), body);
		assertThat(response.status()).as("status for %s", field).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.body().get("errors").findValuesAsText("field")).as("fields of %s", response.body())
			.contains(field);
		assertThat(response.body().get("detail").asText()).contains(field);
	}

	private Response createTicket(Map<String, ?> body) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(), body);
		assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
		return response;
	}

	private Response changeStatus(String id, String status) {
		return api.post("/api/v1/tickets/" + id + "/status", merchant.adminKey(), Map.of("status", status));
	}

	private static Map<String, Object> minimalTicket(String subject) {
		return Map.of("subject", subject, "requester", Map.of("email", "ann@example.com"));
	}

	private long ticketCount() {
		return jdbc.sql("SELECT count(*) FROM ticket WHERE merchant_id = ?")
			.param(merchant.id())
			.query(Long.class)
			.single();
	}

	private long publicationsOf(String ticketId) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticketId + "\"%")
			.query(Long.class)
			.single();
	}

	/** One publication per listener of TicketCreated, as another merchant's ticket made without a key shows. */
	private long publicationsPerTicket() {
		var reference = api.post("/api/v1/tickets", api.newMerchant().adminKey(), minimalTicket("reference"));
		return publicationsOf(reference.body().get("id").asText());
	}
}
