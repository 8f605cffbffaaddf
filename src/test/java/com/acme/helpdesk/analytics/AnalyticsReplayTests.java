package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;

/**
 * Exact under replay, re-runs and disorder. A random history of 300 tickets is played and counted once
 * ({@link #counted}); then each test does something that must not change a figure and compares every row of
 * {@code analytics_bucket} with that count:
 * <ul>
 * <li>replay: every event publication of the merchant is delivered again (made incomplete and resubmitted, as the
 * outbox's resubmission does) and every event analytics took is delivered to its listeners again;</li>
 * <li>re-runs: every ticket is marked dirty and the {@code analytics-update} job runs twice, and the rebuild job
 * twice;</li>
 * <li>disorder: the figures are emptied and the tickets recounted in shuffled, overlapping batches (a ticket counted
 * before, after or twice relative to the others), and the events delivered again in reverse order.</li>
 * </ul>
 * Each test also checks that its action reached analytics (tickets were dirty, or the figures were gone in between),
 * so it cannot pass by doing nothing.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
@Import(AnalyticsHistoryConfiguration.class)
@TestPropertySource(properties = "helpdesk.analytics.batch-size=50")
class AnalyticsReplayTests {

	private final AnalyticsFixture fixture;
	private final RecordedEvents events;
	private final TransactionTemplate transactions;
	private final IncompleteEventPublications publications;
	private final DirtyTickets dirty;
	private RandomHistory history;
	private UUID merchantId;
	private Map<BucketKey, Figures> counted;

	AnalyticsReplayTests(ApplicationContext context, RecordedEvents events, TransactionTemplate transactions,
			IncompleteEventPublications publications, DirtyTickets dirty) {
		this.fixture = new AnalyticsFixture(context);
		this.events = events;
		this.transactions = transactions;
		this.publications = publications;
		this.dirty = dirty;
	}

	@BeforeAll
	void playAndCountAHistory() {
		history = new RandomHistory(fixture, 77L);
		merchantId = history.merchant().id();
		history.play(Instant.parse("2026-03-09T06:00:00Z"), 300, 2, 1000, null);
		fixture.updateAnalytics(merchantId);
		counted = fixture.snapshot(merchantId);
		assertThat(counted).hasSizeGreaterThan(1000);
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(fixture.jdbc, fixture.merchants);
	}

	@Test
	void replayingEveryPublicationAndEveryEventOfTheHistoryLeavesEveryRowUnchanged() {
		var reopened = fixture.jdbc.sql("""
				UPDATE event_publication SET completion_date = NULL
				WHERE completion_date IS NOT NULL AND serialized_event LIKE ?""")
			.param("%" + merchantId + "%")
			.update();
		assertThat(reopened).as("publications to deliver again").isPositive();
		publications.resubmitIncompletePublications(
				publication -> publication.getEvent().toString().contains(merchantId.toString()));
		fixture.awaitListeners(merchantId);

		var ours = eventsOfTheMerchant();
		ours.forEach(event -> events.replay(event, fixture.listeners, transactions));
		assertThat(fixture.dirtyTickets(merchantId)).as("the replays marked the tickets dirty again")
			.isEqualTo(history.ticketIds().size());

		fixture.updateAnalytics(merchantId);
		assertThat(AnalyticsRebuildTests.differingRows(counted, fixture.snapshot(merchantId))).isEmpty();
	}

	@Test
	void runningTheUpdateJobTwiceAndTheRebuildJobTwiceLeavesEveryRowUnchanged() {
		for (int run = 0; run < 2; run++) {
			transactions.executeWithoutResult(status -> dirty.markAll(merchantId, history.ticketIds(), fixture.clock.instant()));
			var job = new AnalyticsUpdateJob(merchantId, fixture.clock.instant());
			var jobRun = AnalyticsFixture.run("analytics-update");
			fixture.update.run(job, jobRun);
			assertThat(fixture.dirtyTickets(merchantId)).as("a batch of 50 leaves the other tickets dirty")
				.isEqualTo(history.ticketIds().size() - 50);
			fixture.update.run(job, jobRun); // the same job again: its next batch
			fixture.updateAnalytics(merchantId);
			assertThat(AnalyticsRebuildTests.differingRows(counted, fixture.snapshot(merchantId))).isEmpty();
		}
		fixture.rebuild(merchantId);
		fixture.rebuild(merchantId);
		assertThat(AnalyticsRebuildTests.differingRows(counted, fixture.snapshot(merchantId))).isEmpty();
	}

	@Test
	void recountingTheTicketsInAnotherOrderAndDeliveringTheEventsBackwardsGivesTheSameRows() {
		var random = new Random(5);
		transactions.executeWithoutResult(status -> {
			fixture.buckets.deleteAll(merchantId);
			fixture.jdbc.sql("DELETE FROM analytics_ticket WHERE merchant_id = ?").param(merchantId).update();
		});
		assertThat(fixture.snapshot(merchantId)).isEmpty();

		var order = new ArrayList<>(history.ticketIds());
		Collections.shuffle(order, random);
		for (int from = 0; from < order.size();) {
			var to = Math.min(order.size(), from + 1 + random.nextInt(40));
			var batch = new ArrayList<>(order.subList(from, to));
			if (from > 0 && random.nextBoolean()) {
				batch.add(order.get(random.nextInt(from))); // one counted before, counted again
			}
			fixture.recount.recountTickets(merchantId, batch);
			from = to;
		}
		assertThat(AnalyticsRebuildTests.differingRows(counted, fixture.snapshot(merchantId))).isEmpty();

		var backwards = new ArrayList<>(eventsOfTheMerchant());
		Collections.reverse(backwards);
		backwards.forEach(event -> events.replay(event, fixture.listeners, transactions));
		fixture.updateAnalytics(merchantId);
		assertThat(AnalyticsRebuildTests.differingRows(counted, fixture.snapshot(merchantId))).isEmpty();
	}

	private List<Object> eventsOfTheMerchant() {
		var ours = events.all().stream().filter(event -> event.toString().contains(merchantId.toString())).toList();
		assertThat(ours).hasSizeGreaterThan(history.ticketIds().size());
		return ours;
	}
}
