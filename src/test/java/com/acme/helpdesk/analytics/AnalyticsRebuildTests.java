package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.support.LeftoverJobs;
import com.acme.helpdesk.support.ModuleTestEnvironment;
import com.acme.helpdesk.support.TestApi;

/**
 * The rebuild equals the incrementally kept figures: a random (seeded) history of 2,000 tickets is played through the
 * real use cases ({@link RandomHistory}) while {@code analytics-update} jobs run at random moments on small batches
 * (so tickets are recounted part-way through their lives, in other orders than their events, some many times) and
 * recorded events are delivered to the analytics listeners again (replays); then the kept figures, every row of
 * {@code analytics_bucket}, must equal the rows the rebuild job makes from the source tables alone.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "assignment", "outbox" },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ModuleTestEnvironment
@Import(AnalyticsHistoryConfiguration.class)
@TestPropertySource(properties = "helpdesk.analytics.batch-size=50")
class AnalyticsRebuildTests {

	private final AnalyticsFixture fixture;
	private final RecordedEvents events;
	private final TransactionTemplate transactions;

	AnalyticsRebuildTests(ApplicationContext context, RecordedEvents events, TransactionTemplate transactions) {
		this.fixture = new AnalyticsFixture(context);
		this.events = events;
		this.transactions = transactions;
	}

	@AfterAll
	void discardLeftoverJobs() {
		LeftoverJobs.discard(fixture.jdbc, fixture.merchants);
	}

	@Test
	void theRebuildOfARandomHistoryOfTwoThousandTicketsEqualsTheFiguresKeptIncrementally() {
		// -Danalytics.rebuild.tickets=200 plays a shorter history of one day (a quick check on a busy machine)
		var tickets = Integer.getInteger("analytics.rebuild.tickets", 2000);
		var history = new RandomHistory(fixture, 18_2026L);
		var merchantId = history.merchant().id();
		history.play(Instant.parse("2026-03-02T06:00:00Z"), tickets, tickets >= 1000 ? 4 : 1, 50, (now, random) -> {
			switch (random.nextInt(4)) {
				case 0 -> fixture.update.run(new AnalyticsUpdateJob(merchantId, now), AnalyticsFixture.run("analytics-update"));
				case 1 -> {
					var recorded = events.all();
					for (int i = 0; i < 5; i++) {
						events.replay(recorded.get(random.nextInt(recorded.size())), fixture.listeners, transactions);
					}
				}
				default -> {
				}
			}
		});
		fixture.updateAnalytics(merchantId);
		var incremental = fixture.snapshot(merchantId);

		var month = incremental.get(new BucketKey(BucketLevel.MONTH, Instant.parse("2026-03-01T00:00:00Z"),
				Dimension.MERCHANT, ""));
		assertThat(month.get(Figure.CREATED)).isEqualTo(tickets);
		for (var figure : new Figure[] { Figure.RESOLVED, Figure.REOPENED, Figure.CLOSED, Figure.CUSTOMER_MESSAGES,
				Figure.AGENT_REPLIES, Figure.FIRST_RESPONSE_COUNT, Figure.BUSINESS_FIRST_RESPONSE_COUNT,
				Figure.RESOLUTION_COUNT, Figure.BUSINESS_RESOLUTION_COUNT, Figure.SLA_FIRST_RESPONSE_MET,
				Figure.SLA_FIRST_RESPONSE_BREACHED, Figure.SLA_RESOLUTION_MET, Figure.SLA_RESOLUTION_BREACHED,
				Figure.ESCALATIONS, Figure.CSAT_1, Figure.CSAT_5, Figure.OPEN_CHANGE, Figure.PENDING_CHANGE,
				Figure.UNASSIGNED_CHANGE }) {
			if (tickets >= 1000) {
				assertThat(month.get(figure)).as("the history has %s", figure).isPositive();
			}
		}

		var accepted = fixture.api.post("/ops/v1/analytics/rebuild", TestApi.OPS_TOKEN, Map.of("merchantId", merchantId));
		assertThat(accepted.status()).isEqualTo(202);
		fixture.rebuild(merchantId); // what the job published by the endpoint runs (module tests run no job servers)
		var rebuilt = fixture.snapshot(merchantId);

		assertThat(differingRows(incremental, rebuilt)).as("rows differing between incremental and rebuilt").isEmpty();
		assertThat(rebuilt).isEqualTo(incremental);
		assertThat(fixture.dirtyTickets(merchantId)).isZero();
	}

	static TreeSet<String> differingRows(Map<BucketKey, Figures> a, Map<BucketKey, Figures> b) {
		var keys = new TreeSet<BucketKey>(a.keySet());
		keys.addAll(b.keySet());
		var differing = new TreeSet<String>();
		for (var key : keys) {
			var left = a.getOrDefault(key, new Figures());
			var right = b.getOrDefault(key, new Figures());
			if (!left.equals(right)) {
				differing.add(key + ": " + left + " vs " + right);
			}
		}
		return differing;
	}
}
