package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.Scenario;
import org.springframework.web.server.ResponseStatusException;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tenancy.Tenant;
import com.acme.helpdesk.tickets.TicketRequests.ChangeStatus;
import com.acme.helpdesk.tickets.TicketRequests.CreateMessage;
import com.acme.helpdesk.tickets.TicketRequests.CreateTicket;
import com.acme.helpdesk.tickets.TicketRequests.RequesterInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tickets module on its own: a ticket is created, counted and changed only through its aggregate's rules, and
 * every change is published as an event for the other modules.
 * <p>
 * Mode {@code DIRECT_DEPENDENCIES}: the module's beans use {@code outbound} (the enrichment call) besides the shared
 * modules. {@code assignment} is included because the shared {@code tenancy} module and the tickets API ask its
 * {@code AgentDirectory} whether an agent exists; {@code outbox} because it is how this application records and
 * completes event publications.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class TicketsModuleTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final TicketService tickets;
	private final CategoryRepository categories;
	private final TagRepository tags;
	private final TicketMessageRepository messages;
	private final TestApi api;
	private final JdbcClient jdbc;
	private final List<UUID> merchants = new ArrayList<>();

	TicketsModuleTests(TicketService tickets, CategoryRepository categories, TagRepository tags,
			TicketMessageRepository messages, TestApi api, JdbcClient jdbc) {
		this.tickets = tickets;
		this.categories = categories;
		this.tags = tags;
		this.messages = messages;
		this.api = api;
		this.jdbc = jdbc;
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void aNewTicketIsPublishedAndCountedInItsCategoryAndTagsWhenItCommits(Scenario scenario) {
		var admin = newMerchant();
		var category = categories.save(new Category(admin.merchantId(), "Billing", RoutingStrategy.MANUAL, Instant.now()));
		var tag = tags.save(new Tag(admin.merchantId(), "refund", Instant.now()));

		scenario.stimulate(() -> tickets.create(admin, request("Refund please", category.id(), List.of(tag.id()), null), null))
			.andWaitForEventOfType(TicketCreated.class)
			.matchingMappedValue(TicketCreated::merchantId, admin.merchantId())
			.toArriveAndVerify((event, created) -> {
				assertThat(event.ticketId()).isEqualTo(created.ticket().id());
				assertThat(event.number()).isEqualTo(created.ticket().number());
				assertThat(event.categoryId()).isEqualTo(category.id());
				assertThat(event.categoryRouting()).isEqualTo(RoutingStrategy.MANUAL);
				assertThat(event.tagIds()).containsExactly(tag.id());
				assertThat(event.priority()).isEqualTo(Priority.MEDIUM);
				assertThat(event.ticketVersion()).isZero();
				assertThat(categories.findByIdAndMerchantId(category.id(), admin.merchantId()).orElseThrow().ticketCount())
					.isEqualTo(1);
				assertThat(tags.findById(tag.id()).orElseThrow().ticketCount()).isEqualTo(1);
			});
	}

	@Test
	void aTicketWithContextGetsItsEnrichJobInTheCreatingTransactionAndOneWithoutGetsNone(Scenario scenario) {
		var admin = newMerchant();

		scenario.stimulate(() -> tickets.create(admin, request("Where is my parcel?", null, List.of(),
				JSON.createObjectNode().put("orderId", 42)), null))
			.andWaitForEventOfType(TicketCreated.class)
			.matching(TicketCreated::hasContext)
			.matchingMappedValue(TicketCreated::merchantId, admin.merchantId())
			.toArriveAndVerify(event -> assertThat(jobState(enrichJob(event))).isEqualTo("ENQUEUED"));

		scenario.stimulate(() -> tickets.create(admin, request("Hello", null, List.of(), null), null))
			.andWaitForEventOfType(TicketCreated.class)
			.matching(created -> !created.hasContext())
			.matchingMappedValue(TicketCreated::merchantId, admin.merchantId())
			.toArriveAndVerify(event -> assertThat(jobState(enrichJob(event))).isNull());
	}

	@Test
	void theSameIdempotencyKeyAnswersTheFirstTicketAndPublishesItOnce(AssertablePublishedEvents events) {
		var admin = newMerchant();
		var request = request("Double click", null, List.of(), null);

		var first = tickets.create(admin, request, "key-1");
		var again = tickets.create(admin, request, "key-1");

		assertThat(first.replayed()).isFalse();
		assertThat(again.replayed()).isTrue();
		assertThat(again.ticket().id()).isEqualTo(first.ticket().id());
		assertThat(events.ofType(TicketCreated.class).matching(TicketCreated::merchantId, admin.merchantId()))
			.extracting(TicketCreated::ticketId)
			.containsExactly(first.ticket().id());
		assertThatThrownBy(() -> tickets.create(admin, request("Another request", null, List.of(), null), "key-1"))
			.isInstanceOfSatisfying(ResponseStatusException.class,
					e -> assertThat(e.getStatusCode().value()).isEqualTo(422));
	}

	@Test
	void aStatusChangePublishesTicketStatusChangedWithTheVersionItCommitsWith(Scenario scenario) {
		var admin = newMerchant();
		var ticket = tickets.create(admin, request("Printer", null, List.of(), null), null).ticket();

		scenario.stimulate(() -> tickets.changeStatus(admin, ticket.id(), new ChangeStatus(TicketStatus.PENDING, "waiting for the customer")))
			.andWaitForEventOfType(TicketStatusChanged.class)
			.matchingMappedValue(TicketStatusChanged::ticketId, ticket.id())
			.toArriveAndVerify((event, changed) -> {
				assertThat(event.from()).isEqualTo(TicketStatus.OPEN);
				assertThat(event.to()).isEqualTo(TicketStatus.PENDING);
				assertThat(event.reason()).isEqualTo("waiting for the customer");
				assertThat(event.ticketVersion()).isEqualTo(1L);
				assertThat(tickets.get(admin, ticket.id()).version()).isEqualTo(event.ticketVersion());
			});
	}

	@Test
	void aStatusChangeTheMachineDoesNotAllowIsRefusedAndChangesNothing(AssertablePublishedEvents events) {
		var admin = newMerchant();
		var ticket = tickets.create(admin, request("Printer", null, List.of(), null), null).ticket();
		tickets.changeStatus(admin, ticket.id(), new ChangeStatus(TicketStatus.CLOSED, "done"));

		assertThatThrownBy(() -> tickets.changeStatus(admin, ticket.id(), new ChangeStatus(TicketStatus.OPEN, "again")))
			.isInstanceOf(ConflictException.class)
			.hasMessageContaining("A CLOSED ticket cannot become OPEN");

		var stored = tickets.get(admin, ticket.id());
		assertThat(stored.status()).isEqualTo(TicketStatus.CLOSED);
		assertThat(stored.version()).isEqualTo(1);
		assertThat(events.ofType(TicketStatusChanged.class).matching(TicketStatusChanged::ticketId, ticket.id()))
			.extracting(TicketStatusChanged::to)
			.containsExactly(TicketStatus.CLOSED);
	}

	@Test
	void aCustomerReplyReopensAPendingTicket(Scenario scenario) {
		var admin = newMerchant();
		var ticket = tickets.create(admin, request("Printer", null, List.of(), null), null).ticket();
		tickets.changeStatus(admin, ticket.id(), new ChangeStatus(TicketStatus.PENDING, "asked for the model"));

		scenario.stimulate(() -> tickets.addMessage(admin, ticket.id(), new CreateMessage("It is a P-100", AuthorType.CUSTOMER, false)))
			.andWaitForEventOfType(TicketStatusChanged.class)
			.matchingMappedValue(TicketStatusChanged::ticketId, ticket.id())
			.matchingMappedValue(TicketStatusChanged::to, TicketStatus.OPEN)
			.toArriveAndVerify(event -> {
				assertThat(event.from()).isEqualTo(TicketStatus.PENDING);
				assertThat(event.reason()).isEqualTo("customer replied");
				assertThat(tickets.get(admin, ticket.id()).status()).isEqualTo(TicketStatus.OPEN);
			});
	}

	@Test
	void onlyTheFirstPublicAgentReplyIsTheFirstResponse(AssertablePublishedEvents events) {
		var admin = newMerchant();
		var ticket = tickets.create(admin, request("Printer", null, List.of(), null), null).ticket();

		tickets.addMessage(admin, ticket.id(), new CreateMessage("internal: call them", AuthorType.AGENT, true));
		var firstReply = tickets.addMessage(admin, ticket.id(), new CreateMessage("We are on it", AuthorType.AGENT, false));
		tickets.addMessage(admin, ticket.id(), new CreateMessage("Fixed", AuthorType.AGENT, false));

		assertThat(events.ofType(TicketMessageCreated.class).matching(TicketMessageCreated::ticketId, ticket.id()))
			.extracting(TicketMessageCreated::firstPublicAgentReply)
			.containsExactly(false, true, false);
		assertThat(tickets.get(admin, ticket.id()).firstResponseAt())
			.isEqualTo(messages.findById(firstReply.id()).orElseThrow().createdAt());
	}

	private Tenant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return new Tenant(merchant.id(), Tenant.Role.ADMIN, null, null);
	}

	private static CreateTicket request(String subject, UUID categoryId, List<UUID> tagIds, JsonNode context) {
		return new CreateTicket(subject, "Please help", new RequesterInput("ann@example.com", "Ann", null), categoryId,
				null, tagIds, context, null);
	}

	private static UUID enrichJob(TicketCreated event) {
		return ContextEnrichmentJob.enrich(event.merchantId(), event.ticketId())
			.derivedFrom(TicketListeners.ENQUEUE_ENRICHMENT, event.eventId())
			.id();
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional()
			.orElse(null);
	}
}
