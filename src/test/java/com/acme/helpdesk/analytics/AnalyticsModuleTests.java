package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.AuthorType;
import com.acme.helpdesk.tickets.Priority;
import com.acme.helpdesk.tickets.TicketCreated;
import com.acme.helpdesk.tickets.TicketPriorityChanged;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketTimelines;

/**
 * The analytics module on its own dependencies (tickets, sla, surveys, jobs, tenancy; {@code assignment} and
 * {@code outbox} as for the surveys module): a ticket's events mark it dirty and publish its merchant's slice job in
 * the publishing transaction; the worker counts a known history into exactly the figures computed here by hand, for
 * every dimension; a reassignment moves them; a change after a worker read a marker keeps the ticket dirty; the store
 * reads whole buckets; the rebuild endpoint takes the ops token and answers 202. Time is a {@link MutableClock}.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
class AnalyticsModuleTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class SettableTime {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
		}
	}

	private static final Instant MONDAY = Instant.parse("2026-03-02T00:00:00Z");
	private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");

	private final AnalyticsFixture fixture;
	private final ApplicationContext context;
	private final DirtyTickets dirty;
	private final TransactionTemplate transactions;
	private final SweepAnalyticsStragglers stragglers;
	private final JobDispatcher dispatcher;
	private final TicketTimelines timelines;
	private final AnalyticsLock lock;

	AnalyticsModuleTests(ApplicationContext context, DirtyTickets dirty, TransactionTemplate transactions,
			SweepAnalyticsStragglers stragglers, JobDispatcher dispatcher, TicketTimelines timelines,
			AnalyticsLock lock) {
		this.fixture = new AnalyticsFixture(context);
		this.context = context;
		this.dirty = dirty;
		this.transactions = transactions;
		this.stragglers = stragglers;
		this.dispatcher = dispatcher;
		this.timelines = timelines;
		this.lock = lock;
	}

	@BeforeAll
	void startOnMonday() {
		fixture.clock.set(NINE);
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(fixture.jdbc, fixture.merchants);
	}

	@Test
	void aTicketEventMarksTheTicketDirtyAndPublishesItsMerchantsSliceJobInThePublishingTransaction() {
		var merchant = fixture.newMerchant();
		fixture.clock.set(NINE.plusMillis(500));
		var first = fixture.tickets.create(merchant.id(), "one", null, List.of(), Priority.LOW);
		fixture.clock.set(NINE.plusMillis(1900));
		var second = fixture.tickets.create(merchant.id(), "two", null, List.of(), Priority.LOW);
		fixture.clock.set(NINE.plusSeconds(2));
		var third = fixture.tickets.create(merchant.id(), "three", null, List.of(), Priority.LOW);

		assertThat(fixture.jdbc.sql("SELECT ticket_id FROM analytics_dirty_ticket WHERE merchant_id = ?")
			.param(merchant.id())
			.query(UUID.class)
			.list()).containsExactlyInAnyOrder(first, second, third);
		var jobs = fixture.jdbc
			.sql("SELECT id, state, scheduledAt FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ? ORDER BY id")
			.params("%" + AnalyticsUpdateJob.class.getName() + "%", "%" + merchant.id() + "%")
			.query((rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getTimestamp(3).toInstant())
			.list();
		assertThat(jobs).as("one job per 2-second slice, starting 1 s after the slice").containsExactlyInAnyOrder(
				AnalyticsUpdateJob.forSlice(merchant.id(), NINE).id() + " SCHEDULED " + NINE.plusSeconds(3),
				AnalyticsUpdateJob.forSlice(merchant.id(), NINE.plusSeconds(2)).id() + " SCHEDULED " + NINE.plusSeconds(5));

		var rolledBack = new UUID[1];
		try {
			transactions.executeWithoutResult(status -> {
				rolledBack[0] = fixture.tickets.create(merchant.id(), "rolled back", null, List.of(), Priority.LOW);
				throw new IllegalStateException("roll back");
			});
		}
		catch (IllegalStateException expected) {
			// the ticket's creation rolled back, and its marker with it
		}
		assertThat(fixture.dirtyTickets(merchant.id())).isEqualTo(3);
		fixture.clock.set(NINE);
	}

	@Test
	void theWorkerCountsAKnownHistoryIntoTheFiguresComputedByHandForEveryDimension() {
		var merchant = fixture.newMerchant();
		var ann = fixture.agent(merchant, "Ann");
		var bob = fixture.agent(merchant, "Bob");
		var billing = fixture.category(merchant, "Billing");
		var vip = fixture.tag(merchant, "vip");
		var refund = fixture.tag(merchant, "refund");
		// Berlin is UTC+1 in March 2026 (before 29 March): business hours are 08:00-16:00 UTC
		fixture.slaPolicy(merchant, "MEDIUM", Duration.ofHours(1), Duration.ofHours(8),
				AnalyticsFixture.BERLIN_OFFICE_HOURS);
		var at = new Object() {
			void time(String hhmm) {
				fixture.clock.set(Instant.parse("2026-03-02T" + hhmm + ":00Z"));
			}
		};

		at.time("09:00");
		var ticket = fixture.tickets.create(merchant.id(), "Invoice wrong", billing, List.of(vip, refund),
				Priority.MEDIUM);
		at.time("09:05");
		fixture.tickets.assign(merchant.id(), ticket, ann);
		at.time("09:10");
		fixture.tickets.addMessage(merchant.id(), ticket, AuthorType.CUSTOMER, null, false);
		at.time("09:20");
		fixture.tickets.addMessage(merchant.id(), ticket, AuthorType.AGENT, ann, true);
		at.time("09:30");
		fixture.tickets.addMessage(merchant.id(), ticket, AuthorType.AGENT, ann, false);
		at.time("10:00");
		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.PENDING);
		at.time("11:00");
		fixture.tickets.addMessage(merchant.id(), ticket, AuthorType.CUSTOMER, null, false); // reopens it: OPEN
		at.time("12:00");
		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.RESOLVED);
		fixture.awaitListeners(merchant.id());
		at.time("12:05");
		assertThat(fixture.surveys.answer(merchant.id(), ticket, 4)).isTrue();
		at.time("13:00");
		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.OPEN);
		at.time("14:00");
		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.RESOLVED);
		fixture.updateAnalytics(merchant.id());

		var timeline = timelines.of(merchant.id(), List.of(ticket)).get(0);
		assertThat(timeline.changes()).as("ticket_history, in order").containsExactly(
				new TicketTimelines.AssigneeChange(1, Instant.parse("2026-03-02T09:05:00Z"), null, ann),
				new TicketTimelines.StatusChange(5, Instant.parse("2026-03-02T10:00:00Z"), TicketStatus.OPEN,
						TicketStatus.PENDING),
				new TicketTimelines.StatusChange(6, Instant.parse("2026-03-02T11:00:00Z"), TicketStatus.PENDING,
						TicketStatus.OPEN),
				new TicketTimelines.StatusChange(7, Instant.parse("2026-03-02T12:00:00Z"), TicketStatus.OPEN,
						TicketStatus.RESOLVED),
				new TicketTimelines.StatusChange(8, Instant.parse("2026-03-02T13:00:00Z"), TicketStatus.RESOLVED,
						TicketStatus.OPEN),
				new TicketTimelines.StatusChange(9, Instant.parse("2026-03-02T14:00:00Z"), TicketStatus.OPEN,
						TicketStatus.RESOLVED));
		assertThat(timeline.messages()).hasSize(4);

		var day = new Figures().increment(Figure.CREATED, 1)
			.increment(Figure.RESOLVED, 2)
			.increment(Figure.REOPENED, 1)
			.increment(Figure.CUSTOMER_MESSAGES, 2)
			.increment(Figure.AGENT_REPLIES, 1) // the internal note is no reply
			.addDuration(DurationMetric.FIRST_RESPONSE, 30 * 60_000)
			.addDuration(DurationMetric.BUSINESS_FIRST_RESPONSE, 30 * 60_000)
			.addDuration(DurationMetric.RESOLUTION, 3 * 3_600_000)
			.addDuration(DurationMetric.BUSINESS_RESOLUTION, 3 * 3_600_000)
			.addDuration(DurationMetric.RESOLUTION, 5 * 3_600_000)
			.addDuration(DurationMetric.BUSINESS_RESOLUTION, 5 * 3_600_000)
			.increment(Figure.SLA_FIRST_RESPONSE_MET, 1) // replied at 09:30, due 10:00
			.increment(Figure.SLA_RESOLUTION_MET, 2) // cycle 1 stopped 12:00, cycle 2 (from the reopen) 14:00
			.increment(Figure.CSAT_4, 1);
		// open +1 09:00, -1 10:00 (pending), +1 11:00, -1 12:00, +1 13:00, -1 14:00; unassigned +1 09:00, -1 09:05;
		// pending +1 10:00, -1 11:00
		var figures = fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, Dimension.MERCHANT, "");
		assertThat(figures).isEqualTo(day);
		assertThat(figures.get(Figure.OPEN_CHANGE)).isZero();
		assertThat(figures.get(Figure.PENDING_CHANGE)).isZero();
		assertThat(figures.get(Figure.UNASSIGNED_CHANGE)).isZero();
		for (var key : List.of(Map.entry(Dimension.AGENT, ann.toString()),
				Map.entry(Dimension.CATEGORY, billing.toString()), Map.entry(Dimension.TAG, vip.toString()),
				Map.entry(Dimension.TAG, refund.toString()), Map.entry(Dimension.PRIORITY, "MEDIUM"))) {
			assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, key.getKey(), key.getValue()))
				.as("%s %s", key.getKey(), key.getValue())
				.isEqualTo(day);
			assertThat(fixture.figures(merchant.id(), BucketLevel.MONTH, Instant.parse("2026-03-01T00:00:00Z"),
					key.getKey(), key.getValue())).as("month %s", key.getKey()).isEqualTo(day);
		}

		var nine = fixture.figures(merchant.id(), BucketLevel.QUARTER_HOUR, NINE, Dimension.MERCHANT, "");
		assertThat(nine).isEqualTo(new Figures().increment(Figure.CREATED, 1)
			.increment(Figure.OPEN_CHANGE, 1)
			.increment(Figure.UNASSIGNED_CHANGE, 0)
			.increment(Figure.CUSTOMER_MESSAGES, 1));
		var twelve = fixture.figures(merchant.id(), BucketLevel.HOUR, Instant.parse("2026-03-02T12:00:00Z"),
				Dimension.MERCHANT, "");
		assertThat(twelve).isEqualTo(new Figures().increment(Figure.RESOLVED, 1)
			.addDuration(DurationMetric.RESOLUTION, 3 * 3_600_000)
			.addDuration(DurationMetric.BUSINESS_RESOLUTION, 3 * 3_600_000)
			.increment(Figure.SLA_RESOLUTION_MET, 1)
			.increment(Figure.OPEN_CHANGE, -1)
			.increment(Figure.CSAT_4, 1));
		var ten = fixture.figures(merchant.id(), BucketLevel.HOUR, Instant.parse("2026-03-02T10:00:00Z"),
				Dimension.MERCHANT, "");
		assertThat(ten).isEqualTo(new Figures().increment(Figure.OPEN_CHANGE, -1).increment(Figure.PENDING_CHANGE, 1));
		assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, Dimension.AGENT, bob.toString()).isZero())
			.isTrue();

		// a reassignment moves all of the ticket's figures to the new agent; closing counts on its day
		var tuesday = Instant.parse("2026-03-03T00:00:00Z");
		fixture.clock.set(Instant.parse("2026-03-03T09:00:00Z"));
		fixture.tickets.assign(merchant.id(), ticket, bob);
		fixture.clock.set(Instant.parse("2026-03-03T10:00:00Z"));
		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.CLOSED);
		fixture.updateAnalytics(merchant.id());
		assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, Dimension.AGENT, bob.toString()))
			.isEqualTo(day);
		assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, tuesday, Dimension.AGENT, bob.toString()))
			.as("closed, a resolved ticket leaves no backlog").isEqualTo(new Figures().increment(Figure.CLOSED, 1));
		assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, tuesday, Dimension.MERCHANT, ""))
			.isEqualTo(new Figures().increment(Figure.CLOSED, 1));
		assertThat(fixture.buckets.read(merchant.id(), Dimension.AGENT, ann.toString(),
				List.of(new BucketRef(BucketLevel.DAY, MONDAY), new BucketRef(BucketLevel.MONTH,
						Instant.parse("2026-03-01T00:00:00Z"))))).as("no row is left for the agent it left").isEmpty();
		fixture.clock.set(NINE);
	}

	@Test
	void aBreachIsCountedAtItsDueTimeAndAnUnansweredTicketHasNoFirstResponse() {
		var merchant = fixture.newMerchant();
		fixture.slaPolicy(merchant, "HIGH", Duration.ofMinutes(30), Duration.ofHours(4), null);
		fixture.clock.set(NINE);
		var ticket = fixture.tickets.create(merchant.id(), "Down", null, List.of(), Priority.HIGH);
		fixture.clock.set(NINE.plus(Duration.ofMinutes(50)));
		assertThat(fixture.sla.sweep()).isGreaterThanOrEqualTo(2); // the warning and the breach of first response
		fixture.updateAnalytics(merchant.id());

		var figures = fixture.figures(merchant.id(), BucketLevel.QUARTER_HOUR, NINE.plus(Duration.ofMinutes(30)),
				Dimension.MERCHANT, "");
		assertThat(figures).isEqualTo(new Figures().increment(Figure.SLA_FIRST_RESPONSE_BREACHED, 1));
		var day = fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, Dimension.MERCHANT, "");
		assertThat(day.get(Figure.FIRST_RESPONSE_COUNT)).isZero();
		assertThat(day.get(Figure.BUSINESS_FIRST_RESPONSE_COUNT)).isZero();
		assertThat(day.get(Figure.OPEN_CHANGE)).isEqualTo(1);
		assertThat(day.get(Figure.UNASSIGNED_CHANGE)).isEqualTo(1);
		assertThat(fixture.figures(merchant.id(), BucketLevel.DAY, MONDAY, Dimension.PRIORITY, "HIGH")).isEqualTo(day);
		assertThat(ticket).isNotNull();
		fixture.clock.set(NINE);
	}

	@Test
	void aTicketChangedAfterTheWorkerReadItsMarkerStaysDirty() {
		var merchant = fixture.newMerchant();
		fixture.clock.set(NINE);
		var ticket = fixture.tickets.create(merchant.id(), "x", null, List.of(), Priority.LOW);
		var read = dirty.oldest(merchant.id(), 10);
		assertThat(read).extracting(DirtyTickets.Marker::ticketId).containsExactly(ticket);

		fixture.tickets.changeStatus(merchant.id(), ticket, TicketStatus.IN_PROGRESS); // marks it again
		transactions.executeWithoutResult(status -> dirty.removeCounted(read));
		assertThat(fixture.dirtyTickets(merchant.id())).as("the newer generation keeps the marker").isEqualTo(1);

		transactions.executeWithoutResult(status -> dirty.removeCounted(dirty.oldest(merchant.id(), 10)));
		assertThat(fixture.dirtyTickets(merchant.id())).isZero();
	}

	@Test
	void theStragglerSweepPublishesAJobForEachMerchantWithATicketDirtyForOverAMinute() {
		var merchant = fixture.newMerchant();
		fixture.clock.set(NINE);
		fixture.tickets.create(merchant.id(), "late", null, List.of(), Priority.LOW);

		fixture.clock.set(NINE.plusSeconds(59));
		var early = AnalyticsFixture.run("analytics-stragglers");
		stragglers.run(new AnalyticsStragglersJob("test"), early);
		assertThat(jobState(AnalyticsUpdateJob.forStragglers(merchant.id(), early.jobId(), NINE).id())).isNull();

		fixture.clock.set(NINE.plusSeconds(61));
		var late = AnalyticsFixture.run("analytics-stragglers");
		stragglers.run(new AnalyticsStragglersJob("test"), late);
		assertThat(jobState(AnalyticsUpdateJob.forStragglers(merchant.id(), late.jobId(), NINE).id()))
			.isEqualTo("ENQUEUED");
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM jobrunr_recurring_jobs WHERE id = ?")
			.param(AnalyticsSchedule.STRAGGLERS_RECURRING_JOB_ID)
			.query(Long.class)
			.single()).isEqualTo(1);
		fixture.clock.set(NINE);
	}

	/**
	 * The first transaction of a slice holds its job's row uncommitted (paused after its own before-commit work); a
	 * second one of the same merchant and slice commits meanwhile instead of waiting for it (it skips the job), and
	 * when the first one rolls back the straggler sweep publishes the job the second one's marker needs.
	 */
	@Test
	void aTransactionDoesNotWaitForAnotherOnePublishingTheSameSliceJob() throws Exception {
		var merchant = fixture.newMerchant();
		var slice = NINE.plusSeconds(40);
		fixture.clock.set(slice);
		var firstPublished = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		var threads = Executors.newFixedThreadPool(2);
		try {
			var first = threads.submit(() -> transactions.executeWithoutResult(status -> {
				fixture.tickets.create(merchant.id(), "first", null, List.of(), Priority.LOW);
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void beforeCommit(boolean readOnly) {
						firstPublished.countDown();
						awaitQuietly(release);
						throw new IllegalStateException("the first transaction rolls back");
					}
				});
			}));
			assertThat(firstPublished.await(60, TimeUnit.SECONDS)).isTrue();
			var second = threads.submit(() -> fixture.tickets.create(merchant.id(), "second", null, List.of(),
					Priority.LOW));
			var secondTicket = second.get(60, TimeUnit.SECONDS);
			assertThat(jobState(AnalyticsUpdateJob.forSlice(merchant.id(), slice).id()))
				.as("the second transaction left the job to the first").isNull();

			release.countDown();
			assertThat(catchThrowable(() -> first.get(60, TimeUnit.SECONDS))).hasRootCauseMessage(
					"the first transaction rolls back");
			assertThat(fixture.jdbc.sql("SELECT ticket_id FROM analytics_dirty_ticket WHERE merchant_id = ?")
				.param(merchant.id())
				.query(UUID.class)
				.list()).containsExactly(secondTicket);
			assertThat(jobState(AnalyticsUpdateJob.forSlice(merchant.id(), slice).id())).isNull();

			fixture.clock.set(slice.plusSeconds(61));
			var sweep = AnalyticsFixture.run("analytics-stragglers");
			stragglers.run(new AnalyticsStragglersJob("test"), sweep);
			assertThat(jobState(AnalyticsUpdateJob.forStragglers(merchant.id(), sweep.jobId(), slice).id()))
				.isEqualTo("ENQUEUED");
		}
		finally {
			release.countDown();
			threads.shutdownNow();
			fixture.clock.set(NINE);
		}
	}

	/**
	 * An update job that finds the merchant's lock taken (by a recount or a rebuild) counts nothing and waits for
	 * nothing: its follow-up, with an id derived from the job's, runs a second later; once the lock is free that one
	 * counts the ticket. Run twice, the busy job publishes the one follow-up.
	 */
	@Test
	void anUpdateJobThatFindsTheMerchantsLockTakenWaitsForNothingAndTriesAgainASecondLater() throws Exception {
		var merchant = fixture.newMerchant();
		fixture.clock.set(NINE.plusSeconds(80));
		var ticket = fixture.tickets.create(merchant.id(), "busy", null, List.of(), Priority.LOW);
		var locked = new CountDownLatch(1);
		var release = new CountDownLatch(1);
		var threads = Executors.newFixedThreadPool(2);
		try {
			var holder = threads.submit(() -> transactions.executeWithoutResult(status -> {
				lock.lock(merchant.id());
				locked.countDown();
				awaitQuietly(release);
			}));
			assertThat(locked.await(60, TimeUnit.SECONDS)).isTrue();
			var busy = AnalyticsFixture.run("analytics-update");
			for (int i = 0; i < 2; i++) {
				threads.submit(() -> fixture.update.run(new AnalyticsUpdateJob(merchant.id(), NINE), busy))
					.get(60, TimeUnit.SECONDS); // a run that waited for the lock would still wait here
			}
			assertThat(fixture.jdbc.sql("SELECT ticket_id FROM analytics_dirty_ticket WHERE merchant_id = ?")
				.param(merchant.id())
				.query(UUID.class)
				.list()).as("counted nothing").containsExactly(ticket);
			var followUp = AnalyticsUpdateJob.followUp(merchant.id(), busy.jobId(), NINE).id();
			assertThat(fixture.jdbc.sql("SELECT state, scheduledAt FROM jobrunr_jobs WHERE jobAsJson LIKE ? AND jobAsJson LIKE ?")
				.params("%" + AnalyticsUpdateJob.class.getName() + "%", "%" + merchant.id() + "%")
				.query((rs, row) -> rs.getString(1) + " " + rs.getTimestamp(2).toInstant())
				.list()).as("the slice's job and one follow-up").containsExactlyInAnyOrder(
						"SCHEDULED " + NINE.plusSeconds(83), "SCHEDULED " + NINE.plusSeconds(81));
			assertThat(jobState(followUp)).isEqualTo("SCHEDULED");

			release.countDown();
			holder.get(60, TimeUnit.SECONDS);
			fixture.update.run(new AnalyticsUpdateJob(merchant.id(), NINE), AnalyticsFixture.run("analytics-update"));
			assertThat(fixture.dirtyTickets(merchant.id())).isZero();
		}
		finally {
			release.countDown();
			threads.shutdownNow();
			fixture.clock.set(NINE);
		}
	}

	/**
	 * The marks go first among a transaction's just-before-commit callbacks (a creation's shared count rows, written
	 * after them, stay locked only for the commit), and an event a later callback publishes is marked all the same.
	 */
	@Test
	void theMarkersAreWrittenFirstJustBeforeCommitAndALaterEventIsStillMarked() {
		var merchant = fixture.newMerchant();
		var other = fixture.tickets.create(merchant.id(), "other", null, List.of(), Priority.LOW);
		fixture.jdbc.sql("DELETE FROM analytics_dirty_ticket WHERE merchant_id = ?").param(merchant.id()).update();
		var markedBeforeTheLaterCallback = new java.util.concurrent.atomic.AtomicBoolean();
		var ticket = new UUID[1];
		transactions.executeWithoutResult(status -> {
			// registered before the creation's own callbacks: it would run first but for the marks' order
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					markedBeforeTheLaterCallback.set(fixture.jdbc
						.sql("SELECT count(*) FROM analytics_dirty_ticket WHERE ticket_id = ?")
						.param(ticket[0])
						.query(Long.class)
						.single() == 1);
					context.publishEvent(new TicketPriorityChanged(UUID.randomUUID(), other, merchant.id(), Priority.LOW,
							Priority.HIGH, "a later callback's event", fixture.clock.instant(), 2));
				}
			});
			ticket[0] = fixture.tickets.create(merchant.id(), "first", null, List.of(), Priority.LOW);
		});

		assertThat(markedBeforeTheLaterCallback).isTrue();
		assertThat(fixture.jdbc.sql("SELECT ticket_id FROM analytics_dirty_ticket WHERE merchant_id = ?")
			.param(merchant.id())
			.query(UUID.class)
			.list()).containsExactlyInAnyOrder(ticket[0], other);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void withAnalyticsDisabledTheListenersMarkNothingAndPublishNoJob() {
		fixture.clock.set(NINE);
		var merchant = fixture.newMerchant();
		var event = new TicketCreated(UUID.randomUUID(), UUID.randomUUID(), merchant.id(), 1, "x", null, List.of(),
				Priority.LOW, null, null, null, NINE, 0);
		var disabled = new AnalyticsListeners(dirty, lock, dispatcher,
				new AnalyticsProperties(false, 500, "* * * * *", Duration.ofMinutes(1), Duration.ofDays(400), 10_000), fixture.clock);
		transactions.executeWithoutResult(status -> disabled.on(event));
		assertThat(fixture.dirtyTickets(merchant.id())).isZero();
		assertThat(jobState(AnalyticsUpdateJob.forSlice(merchant.id(), NINE).id())).isNull();

		transactions.executeWithoutResult(status -> fixture.listeners.on(event));
		assertThat(fixture.dirtyTickets(merchant.id())).as("enabled, the same event marks its ticket").isEqualTo(1);
		assertThat(jobState(AnalyticsUpdateJob.forSlice(merchant.id(), NINE).id())).isEqualTo("SCHEDULED");
	}

	private String jobState(UUID id) {
		return fixture.jdbc.sql("SELECT state FROM jobrunr_jobs WHERE id = ?")
			.param(id.toString())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	@Test
	void theStoreReadsWholeBucketsOfOneKeyOrOfAllKeys() {
		var merchant = fixture.newMerchant();
		var hour = Instant.parse("2026-03-02T10:00:00Z");
		var changes = Map.of(new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "a"),
				new Figures().increment(Figure.CREATED, 2), new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "b"),
				new Figures().addDuration(DurationMetric.FIRST_RESPONSE, 60_000),
				new BucketKey(BucketLevel.DAY, MONDAY, Dimension.TAG, "a"), new Figures().increment(Figure.CREATED, 2));
		transactions.executeWithoutResult(status -> fixture.buckets.apply(merchant.id(), changes));

		assertThat(fixture.buckets.read(merchant.id(), Dimension.TAG, null,
				List.of(new BucketRef(BucketLevel.HOUR, hour), new BucketRef(BucketLevel.DAY, MONDAY))))
			.isEqualTo(changes);
		assertThat(fixture.buckets.read(merchant.id(), Dimension.TAG, "b", List.of(new BucketRef(BucketLevel.HOUR, hour))))
			.containsOnlyKeys(new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "b"));
		assertThat(fixture.buckets.readLevel(merchant.id(), Dimension.TAG, "a", BucketLevel.HOUR, MONDAY,
				MONDAY.plus(Duration.ofDays(1)))).containsOnlyKeys(new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "a"));
		assertThat(fixture.buckets.read(merchant.id(), Dimension.MERCHANT, "", List.of(new BucketRef(BucketLevel.HOUR, hour))))
			.isEmpty();

		var takeBack = Map.of(new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "a"),
				new Figures().increment(Figure.CREATED, -2));
		transactions.executeWithoutResult(status -> fixture.buckets.apply(merchant.id(), takeBack));
		assertThat(fixture.snapshot(merchant.id())).as("a row that became zero is deleted")
			.containsOnlyKeys(new BucketKey(BucketLevel.HOUR, hour, Dimension.TAG, "b"),
					new BucketKey(BucketLevel.DAY, MONDAY, Dimension.TAG, "a"));
	}

	@Test
	void theRebuildEndpointTakesTheOpsTokenAndAnswers202WithTheJob() {
		var merchant = fixture.newMerchant();
		var accepted = fixture.api.post("/ops/v1/analytics/rebuild", TestApi.OPS_TOKEN, Map.of("merchantId", merchant.id()));
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
		var jobId = accepted.body().get("jobId").asText();
		assertThat(fixture.jdbc.sql("SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?")
			.param(jobId)
			.query(String.class)
			.single()).contains(AnalyticsRebuildJob.class.getName()).contains(merchant.id().toString());

		var missing = fixture.api.post("/ops/v1/analytics/rebuild", TestApi.OPS_TOKEN, Map.of());
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
		assertThat(missing.body().toString()).contains("merchantId");
		var unknown = UUID.randomUUID();
		var notFound = fixture.api.post("/ops/v1/analytics/rebuild", TestApi.OPS_TOKEN, Map.of("merchantId", unknown));
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.header("Content-Type")).startsWith("application/problem+json");
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ?")
			.param("%" + unknown + "%")
			.query(Long.class)
			.single()).as("no rebuild job for a merchant that does not exist").isZero();
		assertThat(fixture.api.post("/ops/v1/analytics/rebuild", merchant.adminKey(), Map.of("merchantId", merchant.id()))
			.status()).isEqualTo(401);
	}
}
