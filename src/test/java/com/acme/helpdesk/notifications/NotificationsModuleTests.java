package com.acme.helpdesk.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.notifications.NotificationStore.State;
import com.acme.helpdesk.notifications.Preferences.Preference;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.tickets.TicketAssigned;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;

/**
 * The notifications module: an event becomes one notification per recipient and channel (the agent's preferences,
 * the requester's e-mail), written with its delivery jobs in the listener's transaction, once however often the event
 * is delivered; an in-app delivery publishes {@link NotificationCreated} once.
 * <p>
 * Mode {@code DIRECT_DEPENDENCIES}: the module uses {@code tickets} (ticket summaries), {@code assignment} (agents'
 * contacts), {@code sla} (escalation supervisors) and {@code outbound} (webhooks), which between them need nothing
 * else; {@code outbox} is included because it is how this application records and completes event publications.
 * Merchants, agents and tickets are made through the real HTTP API; job servers stay off, the test runs
 * {@link DeliverNotification} itself.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES, extraIncludes = "outbox",
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class NotificationsModuleTests {

	record Notification(UUID id, UUID agentId, String email, NotificationType type, Channel channel, State state) {
	}

	private final DeliverNotification deliver;
	private final Preferences preferences;
	private final TestApi api;
	private final JdbcClient jdbc;
	private final StorageProvider jobStorage;
	private final List<UUID> merchants = new ArrayList<>();

	NotificationsModuleTests(DeliverNotification deliver, Preferences preferences, TestApi api, JdbcClient jdbc,
			StorageProvider jobStorage) {
		this.jobStorage = jobStorage;
		this.deliver = deliver;
		this.preferences = preferences;
		this.api = api;
		this.jdbc = jdbc;
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(jdbc, merchants);
	}

	@Test
	void theNewAssigneeGetsAnInAppAndAnEmailNotificationDeliveredByOneJob(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant);
		var assigned = assigned(merchant, ticket(merchant), agent);

		scenario.publish(assigned)
			.andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> rows.size() == 2)
			.andVerify(rows -> {
				assertThat(rows).extracting(Notification::channel).containsExactlyInAnyOrder(Channel.IN_APP, Channel.EMAIL);
				assertThat(rows).allSatisfy(row -> {
					assertThat(row.agentId()).isEqualTo(agent);
					assertThat(row.type()).isEqualTo(NotificationType.TICKET_ASSIGNED);
					assertThat(row.state()).isEqualTo(State.PENDING);
				});
				var job = deliveryJobOf(assigned);
				assertThat(jobState(job)).as("committed with its notifications").isEqualTo("ENQUEUED");
				assertThat(rows).allSatisfy(row -> assertThat(jobsMentioning(row.id())).as("one job for both channels")
					.containsExactly(job.toString()));
			});
	}

	/**
	 * A {@code notification} job stored before one job took all of a recipient's channels names one
	 * {@code notificationId}: JobRunr still reads it, as a job for that notification alone, and it delivers it.
	 */
	@Test
	void aDeliveryJobStoredWithOneNotificationIdStillReadsAndDelivers(Scenario scenario) {
		var merchant = newMerchant();
		var assigned = assigned(merchant, ticket(merchant), agent(merchant));
		scenario.publish(assigned).andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> rows.size() == 2);
		var inApp = notificationsOf(assigned.eventId()).stream().filter(row -> row.channel() == Channel.IN_APP).findFirst()
			.orElseThrow();
		var job = deliveryJobOf(assigned);
		var stored = jdbc.sql("SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?").param(job.toString()).query(String.class)
			.single();
		var oldFormat = stored.replaceFirst("\"notificationIds\":\\[[^]]*]]", "\"notificationId\":\"" + inApp.id() + "\"");
		assertThat(oldFormat).as("the stored job's arguments").isNotEqualTo(stored).doesNotContain("notificationIds");
		jdbc.sql("UPDATE jobrunr_jobs SET jobAsJson = ? WHERE id = ?").params(oldFormat, job.toString()).update();

		var read = jobStorage.getJobById(job).getJobDetails().getJobParameters().get(1).getObject();

		assertThat(read).isEqualTo(new NotificationJob.Deliver(merchant.id(), List.of(inApp.id()), false));
		deliver.run((NotificationJob.Deliver) read, run());
		assertThat(stateOf(inApp.id())).isEqualTo(State.SENT);
	}

	@Test
	void theSameEventPublishedAgainCreatesNoNotificationAndNoJob(Scenario scenario) {
		var merchant = newMerchant();
		var assigned = assigned(merchant, ticket(merchant), agent(merchant));

		// the rules run just before the publishing transaction commits: once it has, its rows are there
		scenario.publish(assigned)
			.andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> rows.size() == 2)
			.andVerify(rows -> assertThat(rows).hasSize(2));
		var jobs = jobsMentioning(merchant.id());

		scenario.publish(redelivered(assigned))
			.andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> !rows.isEmpty())
			.andVerify(rows -> {
				assertThat(rows).hasSize(2);
				assertThat(jobsMentioning(merchant.id())).isEqualTo(jobs);
			});
	}

	@Test
	void anAgentWhoTakesAssignmentsInADigestHasThemCollectedWithoutAJob(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant);
		preferences.replace(merchant.id(), agent,
				Map.of(NotificationType.TICKET_ASSIGNED, new Preference(List.of(Channel.IN_APP), Delivery.DIGEST)));
		var assigned = assigned(merchant, ticket(merchant), agent);

		scenario.publish(assigned)
			.andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> !rows.isEmpty())
			.andVerify(rows -> {
				assertThat(rows).singleElement().satisfies(row -> {
					assertThat(row.channel()).isEqualTo(Channel.IN_APP);
					assertThat(row.state()).isEqualTo(State.COLLECTED);
					assertThat(jobsMentioning(row.id())).isEmpty();
				});
			});
	}

	@Test
	void aStatusChangeNotifiesTheRequesterByEmailAndTheAssigneeInAppInOneBatchJob(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant);
		var ticket = ticket(merchant);
		var changed = new TicketStatusChanged(UUID.randomUUID(), ticket, merchant.id(), TicketStatus.OPEN,
				TicketStatus.IN_PROGRESS, "on it", agent, Instant.now(), 1);

		scenario.publish(changed)
			.andWaitForStateChange(() -> notificationsOf(changed.eventId()), rows -> rows.size() == 2)
			.andVerify(rows -> {
				assertThat(rows).extracting(Notification::channel, Notification::agentId, Notification::email)
					.containsExactlyInAnyOrder(tuple(Channel.EMAIL, null, "ann@example.com"),
							tuple(Channel.IN_APP, agent, agentEmail(agent)));
				var batch = NotificationJob.batch(merchant.id(), List.of())
					.derivedFrom(NotificationListeners.ON_STATUS, changed.eventId())
					.id();
				assertThat(jobState(batch)).isEqualTo("ENQUEUED");
			});
	}

	@Test
	void deliveringAnInAppNotificationPublishesNotificationCreatedOnce(Scenario scenario) {
		var merchant = newMerchant();
		var agent = agent(merchant);
		var assigned = assigned(merchant, ticket(merchant), agent);
		scenario.publish(assigned).andWaitForStateChange(() -> notificationsOf(assigned.eventId()), rows -> rows.size() == 2);
		var inApp = notificationsOf(assigned.eventId()).stream().filter(row -> row.channel() == Channel.IN_APP).findFirst()
			.orElseThrow();
		var job = new NotificationJob.Deliver(merchant.id(), List.of(inApp.id()), true);

		scenario.stimulate(() -> deliver.run(job, run()))
			.andWaitForEventOfType(NotificationCreated.class)
			.matchingMappedValue(NotificationCreated::notificationId, inApp.id())
			.toArriveAndVerify(event -> {
				assertThat(event.agentId()).isEqualTo(agent);
				assertThat(event.ticketId()).isEqualTo(assigned.ticketId());
				assertThat(event.type()).isEqualTo(NotificationType.TICKET_ASSIGNED);
			});

		scenario.stimulate(() -> deliver.run(job, run()))
			.andWaitForStateChange(() -> stateOf(inApp.id()), state -> state == State.SENT)
			.andVerifyEvents(events -> assertThat(events.ofType(NotificationCreated.class)
				.matching(NotificationCreated::notificationId, inApp.id())).as("the second run finds it sent").hasSize(1));
	}

	private Merchant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return merchant;
	}

	private UUID agent(Merchant merchant) {
		var email = "agent-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		var response = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", email, "email", email, "capacity", 10, "availability", "ONLINE"));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private UUID ticket(Merchant merchant) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Printer on fire", "requester", Map.of("email", "Ann@example.com")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	private static TicketAssigned assigned(Merchant merchant, UUID ticketId, UUID agentId) {
		return new TicketAssigned(UUID.randomUUID(), ticketId, merchant.id(), agentId, null, "MANUAL", Instant.now(), 1);
	}

	private List<Notification> notificationsOf(UUID sourceEventId) {
		return jdbc.sql("SELECT id, agent_id, email, type, channel, state FROM notification WHERE source_event_id = ?")
			.param(sourceEventId)
			.query((rs, n) -> new Notification(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
					NotificationType.valueOf(rs.getString(4)), Channel.valueOf(rs.getString(5)), State.valueOf(rs.getString(6))))
			.list();
	}

	private State stateOf(UUID notificationId) {
		return jdbc.sql("SELECT state FROM notification WHERE id = ?").param(notificationId)
			.query((rs, n) -> State.valueOf(rs.getString(1)))
			.single();
	}

	private String agentEmail(UUID agentId) {
		return jdbc.sql("SELECT email FROM agent WHERE id = ?").param(agentId).query(String.class).single();
	}

	private static UUID deliveryJobOf(TicketAssigned event) {
		return NotificationJob.deliver(event.merchantId(), List.of(), false)
			.derivedFrom(NotificationListeners.ON_ASSIGNED, event.eventId())
			.id();
	}

	private String jobState(UUID jobId) {
		return jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?").param(jobId.toString()).query(String.class)
			.optional()
			.orElse(null);
	}

	/** The ids of the jobs whose arguments mention {@code id}. */
	private List<String> jobsMentioning(UUID id) {
		return jdbc.sql("SELECT id::text FROM jobrunr_jobs WHERE jobAsJson LIKE ? ORDER BY id")
			.param("%" + id + "%")
			.query(String.class)
			.list();
	}

	private static JobRun run() {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.NOTIFICATION, "notification", 1);
	}

	/** The event again, as a redelivery brings it: an equal copy, not the instance published first. */
	private static TicketAssigned redelivered(TicketAssigned event) {
		return new TicketAssigned(event.eventId(), event.ticketId(), event.merchantId(), event.agentId(),
				event.previousAgentId(), event.strategy(), event.occurredAt(), event.ticketVersion());
	}
}
