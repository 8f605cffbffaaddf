package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.sla.SlaRuns;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.surveys.SurveyRuns;
import com.acme.helpdesk.tickets.TicketWrites;

/**
 * What the analytics tests share: a merchant with agents, categories, tags and SLA policies made through the HTTP
 * API; ticket changes through the tickets module's use cases ({@link TicketWrites}); the SLA monitor, escalations and
 * surveys run as their jobs would ({@link SlaRuns}, {@link SurveyRuns}); the analytics jobs run by calling their
 * workers; and a wait for the after-commit listeners (the SLA clocks follow the ticket after its commit).
 */
class AnalyticsFixture {

	/** Mondays to Fridays 09:00-17:00 in Berlin. */
	static final Map<String, Object> BERLIN_OFFICE_HOURS = Map.of("timeZone", "Europe/Berlin", "weekly",
			Map.of("MONDAY", List.of(Map.of("from", "09:00", "to", "17:00")), "TUESDAY",
					List.of(Map.of("from", "09:00", "to", "17:00")), "WEDNESDAY",
					List.of(Map.of("from", "09:00", "to", "17:00")), "THURSDAY",
					List.of(Map.of("from", "09:00", "to", "17:00")), "FRIDAY",
					List.of(Map.of("from", "09:00", "to", "17:00"))));

	final TestApi api;
	final JdbcClient jdbc;
	final MutableClock clock;
	final TicketWrites tickets;
	final SlaRuns sla;
	final SurveyRuns surveys;
	final UpdateAnalytics update;
	final RebuildAnalytics rebuild;
	final RecountTickets recount;
	final AnalyticsBuckets buckets;
	final AnalyticsListeners listeners;
	final List<UUID> merchants = new ArrayList<>();

	private final IncompleteEventPublications incomplete;

	AnalyticsFixture(ApplicationContext context) {
		this.api = context.getBean(TestApi.class);
		this.jdbc = context.getBean(JdbcClient.class);
		this.clock = context.getBean(MutableClock.class);
		this.incomplete = context.getBean(IncompleteEventPublications.class);
		this.tickets = new TicketWrites(context);
		this.sla = new SlaRuns(context);
		this.surveys = new SurveyRuns(context);
		this.update = context.getBean(UpdateAnalytics.class);
		this.rebuild = context.getBean(RebuildAnalytics.class);
		this.recount = context.getBean(RecountTickets.class);
		this.buckets = context.getBean(AnalyticsBuckets.class);
		this.listeners = context.getBean(AnalyticsListeners.class);
	}

	Merchant newMerchant() {
		var merchant = api.newMerchant();
		merchants.add(merchant.id());
		return merchant;
	}

	UUID agent(Merchant merchant, String name) {
		var response = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", name, "email",
				name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com", "capacity", 1000, "availability", "OFFLINE"));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	UUID category(Merchant merchant, String name) {
		var response = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", name, "routing", Map.of("strategy", "MANUAL")));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	UUID tag(Merchant merchant, String name) {
		var response = api.post("/api/v1/tags", merchant.adminKey(), Map.of("name", name));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	void slaPolicy(Merchant merchant, String priority, Duration firstResponse, Duration resolution,
			Map<String, Object> businessHours) {
		var body = new java.util.HashMap<String, Object>(Map.of("firstResponse", firstResponse.toString(), "resolution",
				resolution.toString(), "warningPercent", 80));
		if (businessHours != null) {
			body.put("businessHours", businessHours);
		}
		var response = api.put("/api/v1/sla-policies/" + priority, merchant.adminKey(), body);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	void escalationPolicy(Merchant merchant, UUID supervisor) {
		var response = api.put("/api/v1/escalation-policy", merchant.adminKey(),
				Map.of("levels", List.of(Map.of("after", "PT0S", "action", "NOTIFY_SUPERVISOR", "supervisorAgentIds",
						List.of(supervisor)), Map.of("after", "PT0S", "action", "RAISE_PRIORITY"))));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	/** Waits until every after-commit listener has handled the merchant's events (the SLA clocks are up to date). */
	void awaitListeners(UUID merchantId) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			var left = jdbc.sql("""
					SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?""")
				.param("%" + merchantId + "%")
				.query(Long.class)
				.single();
			if (left > 0) {
				// a listener that failed (a deadlock between agent load updates was seen) is delivered again, as the
				// outbox maintenance does after HELPDESK_OUTBOX_RESUBMIT_OLDER_THAN; the listeners are idempotent
				incomplete.resubmitIncompletePublicationsOlderThan(Duration.ofSeconds(5));
			}
			return left == 0;
		});
	}

	/** Runs {@code analytics-update} jobs of the merchant until no ticket is dirty, as the job servers would. */
	void updateAnalytics(UUID merchantId) {
		awaitListeners(merchantId);
		do {
			update.run(new AnalyticsUpdateJob(merchantId, clock.instant()), run("analytics-update"));
		}
		while (dirtyTickets(merchantId) > 0);
	}

	void rebuild(UUID merchantId) {
		rebuild.run(new AnalyticsRebuildJob(merchantId), run("analytics-rebuild"));
	}

	long dirtyTickets(UUID merchantId) {
		return jdbc.sql("SELECT count(*) FROM analytics_dirty_ticket WHERE merchant_id = ?")
			.param(merchantId)
			.query(Long.class)
			.single();
	}

	Map<BucketKey, Figures> snapshot(UUID merchantId) {
		return buckets.readAll(merchantId);
	}

	Figures figures(UUID merchantId, BucketLevel level, Instant start, Dimension dimension, String key) {
		var read = buckets.read(merchantId, dimension, key, List.of(new BucketRef(level, start)));
		return read.getOrDefault(new BucketKey(level, start, dimension, key), new Figures());
	}

	static JobRun run(String jobName) {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.ANALYTICS_UPDATE, jobName, 1);
	}
}
