package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.LiveClient.Frame;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;

/**
 * The realtime module: an event is pushed to the STOMP subscribers of its ticket's room and of its merchant's topic
 * once its transaction has committed, never for a rolled-back one, and a client sees only its own merchant's
 * destinations. Subscribers are real STOMP-over-WebSocket clients ({@link LiveClient}) of the module's endpoint.
 * <p>
 * Mode {@code ALL_DEPENDENCIES}: the module uses {@code tickets} (whose ticket a room is) and the shared
 * {@code tenancy} (API keys), and the tickets module's beans use {@code outbound}. {@code assignment} is included
 * because the shared {@code tenancy} module and the tickets API ask its {@code AgentDirectory} about agents;
 * {@code outbox} because it is how this application records and completes event publications.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class RealtimeModuleTests {

	private final TestApi api;
	private final JdbcClient jdbc;
	private final List<UUID> merchants = new ArrayList<>();

	RealtimeModuleTests(TestApi api, JdbcClient jdbc) {
		this.api = api;
		this.jdbc = jdbc;
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void aCommittedStatusChangeIsPushedToTheTicketsRoomAndTheMerchantsTopic(Scenario scenario) {
		var merchant = newMerchant();
		var ticket = ticket(merchant);
		var changed = statusChanged(merchant, ticket, "waiting for the customer");

		try (var client = LiveClient.connect(api.port(), merchant.adminKey())) {
			assertThat(client.subscribe("/topic/helpdesk/" + ticket)).isTrue();
			assertThat(client.subscribe("/topic/observation/helpdesk/" + merchant.id())).isTrue();
			var received = new CopyOnWriteArrayList<Frame>();

			scenario.publish(changed)
				.andWaitForStateChange(() -> statusChangesReceived(client, received), frames -> frames.size() == 2)
				.andVerify(frames -> {
					assertThat(frames).extracting(Frame::destination)
						.containsExactlyInAnyOrder("/topic/helpdesk/" + ticket, "/topic/observation/helpdesk/" + merchant.id());
					assertThat(frames).extracting(Frame::eventId).doesNotContainNull().containsOnly(frames.get(0).eventId());
					var envelope = frames.get(0).envelope();
					assertThat(envelope.get("room").asText()).isEqualTo("helpdesk/" + ticket);
					assertThat(envelope.get("merchantId").asText()).isEqualTo(merchant.id().toString());
					assertThat(envelope.get("ticketId").asText()).isEqualTo(ticket.toString());
					assertThat(envelope.get("ticketVersion").asLong()).isEqualTo(1);
					assertThat(envelope.at("/data/from").asText()).isEqualTo("OPEN");
					assertThat(envelope.at("/data/to").asText()).isEqualTo("PENDING");
					assertThat(envelope.at("/data/reason").asText()).isEqualTo("waiting for the customer");
				});
		}
	}

	@Test
	void aRolledBackStatusChangeIsNotPushed(Scenario scenario) {
		var merchant = newMerchant();
		var ticket = ticket(merchant);
		var rolledBack = statusChanged(merchant, ticket, "rolled back");
		var committed = statusChanged(merchant, ticket, "committed");

		try (var client = LiveClient.connect(api.port(), merchant.adminKey())) {
			assertThat(client.subscribe("/topic/helpdesk/" + ticket)).isTrue();
			var received = new CopyOnWriteArrayList<Frame>();

			scenario.stimulate((transactions, events) -> {
				transactions.executeWithoutResult(status -> {
					events.publishEvent(rolledBack);
					status.setRollbackOnly();
				});
				transactions.executeWithoutResult(status -> events.publishEvent(committed));
			})
				.andWaitForStateChange(() -> statusChangesReceived(client, received),
						frames -> frames.stream().anyMatch(frame -> reasonOf(frame).equals("committed")))
				.andVerify(frames -> assertThat(frames).extracting(RealtimeModuleTests::reasonOf)
					.as("pushes keep their publishing order, so a push of the rolled-back change would have come first")
					.containsExactly("committed"));
		}
	}

	@Test
	void aClientCannotSubscribeToAnotherMerchantsTopic() {
		var merchant = newMerchant();
		var other = newMerchant();

		try (var client = LiveClient.connect(api.port(), merchant.adminKey())) {
			client.subscribeNoWait("/topic/observation/helpdesk/" + other.id());

			assertThat(client.nextError()).contains("Access denied");
		}
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

	/** The status changes the client has received so far, collected into {@code received}. */
	private static List<Frame> statusChangesReceived(LiveClient client, List<Frame> received) {
		for (var frame = client.nextFrame(0); frame != null; frame = client.nextFrame(0)) {
			received.add(frame);
		}
		return received.stream().filter(frame -> frame.event().equals("ticket.status_changed")).toList();
	}

	private static String reasonOf(Frame frame) {
		return frame.envelope().at("/data/reason").asText();
	}

	private static TicketStatusChanged statusChanged(Merchant merchant, UUID ticket, String reason) {
		return new TicketStatusChanged(UUID.randomUUID(), ticket, merchant.id(), TicketStatus.OPEN, TicketStatus.PENDING,
				reason, null, Instant.now(), 1);
	}
}
