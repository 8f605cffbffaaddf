package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestApi.Merchant;
import com.acme.helpdesk.support.TestDatabaseConfiguration;
import com.acme.helpdesk.support.TestMail;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The acceptance test of issue 18: a known history over three days (Saturday 2026-10-31 to Monday 2026-11-02, UTC),
 * made through the real HTTP API with a settable clock, the SLA monitor and escalations run by their job servers, and
 * the analytics buckets kept by the {@code analytics-update} jobs; then every figure is checked in UTC and in New York,
 * whose 2026-11-01 is 25 hours long (EDT -04:00 until 06:00Z, then EST -05:00). Every expected value below is worked out
 * by hand from the history (in the comments), never by the implementation.
 *
 * <pre>
 * policies: HIGH first response PT1H, resolution PT8H, business hours Mon-Fri 09:00-17:00 UTC; MEDIUM PT2H / P1D,
 * no business hours; LOW none. Escalation: one level, after PT0S, NOTIFY_SUPERVISOR (Bob). Survey delay PT0S.
 * agents Alice (A), Bob (B); categories Billing, Shipping (manual routing); tags vip, refund.
 *
 * T1 HIGH Billing [vip]          10-31 10:00 created; 10:30 assigned A; 11:00 customer; 12:00 internal note (A);
 *                                11-02 09:30 reply A (first response 47.5 h = 171000 s, business 09:00-09:30 = 1800 s,
 *                                SLA met, due 10:00); 11:00 RESOLVED (176400 s, business 7200 s, SLA met); 12:00 CSAT 5
 * T2 MEDIUM Shipping [refund]    10-31 22:00 created; 22:10 assigned B; 23:00 reply B (3600 s, met); 23:30 PENDING;
 *                                11-01 01:00 customer (PENDING -> OPEN); 02:00 RESOLVED (14400 s, resolution cycle 1
 *                                met); 03:00 customer (reopen; cycle 2 due 11-02 03:00); 11-02 04:30 sweep: cycle 2
 *                                breached (counted at 03:00), escalated (04:30); 04:45 RESOLVED (30.75 h = 110700 s);
 *                                06:00 CLOSED; 06:30 CSAT 3
 * T3 LOW - [vip, refund]         11-01 05:20 created (01:20 EDT); 06:20 customer (01:20 EST); stays OPEN, unassigned
 * T4 HIGH Billing []             11-02 08:00 created; 08:05 assigned A; 10:30 sweep: first response breached (due
 *                                10:00), escalated (10:30); 10:45 reply A (9900 s, business 09:00-10:45 = 6300 s);
 *                                10:50 reassigned to B (all of T4's figures move to B); 11:00 PENDING
 * T5 MEDIUM Shipping [vip]       11-02 12:00 created; 12:15 IN_PROGRESS; 12:45 reply by the admin key (2700 s, met);
 *                                stays IN_PROGRESS, unassigned
 * </pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=40", "spring.datasource.hikari.minimum-idle=2",
		"helpdesk.sla-monitor.cron=0 0 1 1 *", "helpdesk.queues.escalation.backoff-base=PT1S",
		"helpdesk.queues.survey-trigger.backoff-base=PT1S", "helpdesk.queues.analytics-update.backoff-base=PT1S",
		"helpdesk.jobs.serve=sla-monitor,escalation,survey-trigger,notification,analytics-update" })
@AutoConfigureObservability(tracing = false)
@Import({ TestDatabaseConfiguration.class, TestApi.class, TestMail.class, AnalyticsHistoryTests.Time.class })
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsHistoryTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Time {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock(Instant.parse("2026-10-31T09:00:00Z"));
		}
	}

	private static final String UTC = "UTC";
	private static final String NEW_YORK = "America/New_York";
	private static final String THREE_DAYS = "from=2026-10-31&to=2026-11-03";

	@Autowired
	TestApi api;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	Merchant merchant;
	Merchant other;
	UUID alice;
	String aliceKey;
	UUID bob;
	String bobKey;
	UUID billing;
	UUID shipping;
	UUID vip;
	UUID refund;

	@BeforeAll
	void history() {
		at("2026-10-31T09:00:00Z");
		merchant = api.newMerchant();
		other = api.newMerchant();
		var a = agent("alice");
		alice = UUID.fromString(a.get("id").asText());
		aliceKey = a.get("apiKey").asText();
		var b = agent("bob");
		bob = UUID.fromString(b.get("id").asText());
		bobKey = b.get("apiKey").asText();
		billing = id(ok(api.post("/api/v1/categories", admin(),
				Map.of("name", "Billing", "routing", Map.of("strategy", "MANUAL")))));
		shipping = id(ok(api.post("/api/v1/categories", admin(),
				Map.of("name", "Shipping", "routing", Map.of("strategy", "MANUAL")))));
		vip = id(ok(api.post("/api/v1/tags", admin(), Map.of("name", "vip"))));
		refund = id(ok(api.post("/api/v1/tags", admin(), Map.of("name", "refund"))));
		ok(api.put("/api/v1/sla-policies/HIGH", admin(), Map.of("firstResponse", "PT1H", "resolution", "PT8H",
				"businessHours", Map.of("timeZone", "UTC", "weekly", weekdays("09:00", "17:00")))));
		ok(api.put("/api/v1/sla-policies/MEDIUM", admin(), Map.of("firstResponse", "PT2H", "resolution", "P1D")));
		ok(api.put("/api/v1/escalation-policy", admin(), Map.of("levels",
				List.of(Map.of("after", "PT0S", "action", "NOTIFY_SUPERVISOR", "supervisorAgentIds", List.of(bob))))));
		var settings = ok(api.get("/api/v1/settings", admin()));
		var changed = new HashMap<String, Object>();
		settings.fields().forEachRemaining(f -> changed.put(f.getKey(), f.getValue()));
		changed.keySet().retainAll(List.of("webhookUrl", "enrichmentUrl", "returnTicketsOfOfflineAgents"));
		changed.put("surveyDelay", "PT0S");
		ok(api.put("/api/v1/settings", admin(), changed));

		// Saturday 2026-10-31 (EDT, -04:00)
		at("2026-10-31T10:00:00Z");
		var t1 = ticket("HIGH", billing, vip);
		awaitClock(t1, "FIRST_RESPONSE", "RUNNING");
		awaitClock(t1, "RESOLUTION", "RUNNING");
		at("2026-10-31T10:30:00Z");
		assign(t1, alice);
		at("2026-10-31T11:00:00Z");
		message(t1, admin(), "CUSTOMER", false);
		at("2026-10-31T12:00:00Z");
		message(t1, aliceKey, "AGENT", true);
		at("2026-10-31T22:00:00Z");
		var t2 = ticket("MEDIUM", shipping, refund);
		awaitClock(t2, "RESOLUTION", "RUNNING");
		at("2026-10-31T22:10:00Z");
		assign(t2, bob);
		at("2026-10-31T23:00:00Z");
		message(t2, bobKey, "AGENT", false);
		awaitClock(t2, "FIRST_RESPONSE", "STOPPED");
		at("2026-10-31T23:30:00Z");
		status(t2, "PENDING");
		awaitClock(t2, "RESOLUTION", "PAUSED");

		// Sunday 2026-11-01: 01:00 EDT is 05:00Z, 01:00 EST 06:00Z
		at("2026-11-01T01:00:00Z");
		message(t2, admin(), "CUSTOMER", false);
		awaitStatus(t2, "OPEN");
		awaitClock(t2, "RESOLUTION", "RUNNING");
		at("2026-11-01T02:00:00Z");
		status(t2, "RESOLVED");
		awaitClock(t2, "RESOLUTION", "STOPPED");
		var t2Survey = awaitSurvey(t2);
		at("2026-11-01T03:00:00Z");
		message(t2, admin(), "CUSTOMER", false);
		awaitStatus(t2, "OPEN");
		await().until(() -> clockOf(t2, "RESOLUTION").get("cycle").asInt() == 2
				&& clockOf(t2, "RESOLUTION").get("state").asText().equals("RUNNING"));
		at("2026-11-01T05:20:00Z");
		var t3 = ticket("LOW", null, vip, refund);
		at("2026-11-01T06:20:00Z");
		message(t3, admin(), "CUSTOMER", false);

		// Monday 2026-11-02 (EST, -05:00); 04:30Z is still Sunday 23:30 in New York
		sweepAt("2026-11-02T04:30:00Z");
		await().until(() -> clockOf(t2, "RESOLUTION").get("breached").asBoolean());
		awaitEscalationRan(t2);
		at("2026-11-02T04:45:00Z");
		status(t2, "RESOLVED");
		awaitClock(t2, "RESOLUTION", "STOPPED");
		at("2026-11-02T06:00:00Z");
		status(t2, "CLOSED");
		at("2026-11-02T06:30:00Z");
		answer(t2Survey, 3);
		at("2026-11-02T08:00:00Z");
		var t4 = ticket("HIGH", billing);
		awaitClock(t4, "FIRST_RESPONSE", "RUNNING");
		awaitClock(t4, "RESOLUTION", "RUNNING");
		at("2026-11-02T08:05:00Z");
		assign(t4, alice);
		at("2026-11-02T09:30:00Z");
		message(t1, aliceKey, "AGENT", false);
		awaitClock(t1, "FIRST_RESPONSE", "STOPPED");
		sweepAt("2026-11-02T10:30:00Z");
		await().until(() -> clockOf(t4, "FIRST_RESPONSE").get("breached").asBoolean());
		awaitEscalationRan(t4);
		at("2026-11-02T10:45:00Z");
		message(t4, aliceKey, "AGENT", false);
		awaitClock(t4, "FIRST_RESPONSE", "STOPPED");
		at("2026-11-02T10:50:00Z");
		assign(t4, bob);
		at("2026-11-02T11:00:00Z");
		status(t4, "PENDING");
		awaitClock(t4, "RESOLUTION", "PAUSED");
		status(t1, "RESOLVED");
		awaitClock(t1, "RESOLUTION", "STOPPED");
		var t1Survey = awaitSurvey(t1);
		at("2026-11-02T12:00:00Z");
		answer(t1Survey, 5);
		var t5 = ticket("MEDIUM", shipping, vip);
		awaitClock(t5, "FIRST_RESPONSE", "RUNNING");
		at("2026-11-02T12:15:00Z");
		status(t5, "IN_PROGRESS");
		at("2026-11-02T12:45:00Z");
		message(t5, admin(), "AGENT", false);
		awaitClock(t5, "FIRST_RESPONSE", "STOPPED");

		// the other merchant: one ticket on Saturday, which no report of the first may show
		at("2026-10-31T10:00:00Z");
		ok(api.post("/api/v1/tickets", other.adminKey(),
				Map.of("subject", "theirs", "requester", Map.of("email", "x@example.com"), "priority", "HIGH")));
		at("2026-11-03T00:00:00Z");

		await().atMost(Duration.ofMinutes(2)).until(() -> dirtyTickets(merchant) == 0 && dirtyTickets(other) == 0);
	}

	@Test
	void theSummaryHasEveryFigureOfTheThreeDaysInBothTimeZones() {
		for (var zone : List.of(UTC, NEW_YORK)) {
			var summary = report("summary?" + THREE_DAYS + "&timeZone=" + zone, admin());
			expect(summary, zone).is("timeZone", zone)
				.is("ticketsCreated", 5)
				.is("ticketsResolved", 3) // T1, T2 twice
				.is("ticketsReopened", 1) // T2 at 11-01 03:00 (PENDING -> OPEN is no reopen)
				.is("ticketsClosed", 1)
				.is("customerMessages", 4) // T1, T2 twice, T3
				.is("agentReplies", 4) // T1, T2, T4, T5; the internal note is not one
				// 171000, 3600, 9900, 2700: average 46800, median (rank 1 of 0..3) 3600, p90 (rank 2) 9900
				.is("firstResponseSeconds.count", 4)
				.is("firstResponseSeconds.average", 46800.0)
				.near("firstResponseSeconds.median", 3600)
				.near("firstResponseSeconds.p90", 9900)
				// 176400, 14400, 110700: average 100500, median and p90 (rank 1 of 0..2) 110700
				.is("resolutionSeconds.count", 3)
				.is("resolutionSeconds.average", 100500.0)
				.near("resolutionSeconds.median", 110700)
				.near("resolutionSeconds.p90", 110700)
				// business hours only on HIGH: T1 1800, T4 6300; rank 0 of 0..1 for both quantiles
				.is("businessFirstResponseSeconds.count", 2)
				.is("businessFirstResponseSeconds.average", 4050.0)
				.near("businessFirstResponseSeconds.median", 1800)
				.near("businessFirstResponseSeconds.p90", 1800)
				.is("businessResolutionSeconds.count", 1)
				.is("businessResolutionSeconds.average", 7200.0)
				.near("businessResolutionSeconds.median", 7200)
				.near("businessResolutionSeconds.p90", 7200)
				.is("sla.firstResponse.met", 3) // T1, T2, T5
				.is("sla.firstResponse.breached", 1) // T4
				.is("sla.resolution.met", 2) // T1, T2's first cycle
				.is("sla.resolution.breached", 1) // T2's second cycle
				.is("escalations", 2)
				.is("csat.answers", 2)
				.is("csat.average", 4.0)
				.is("csat.satisfiedShare", 0.5)
				.is("csat.byScore.1", 0)
				.is("csat.byScore.2", 0)
				.is("csat.byScore.3", 1)
				.is("csat.byScore.4", 0)
				.is("csat.byScore.5", 1)
				// now: T3 and T5 open and unassigned, T4 pending
				.is("backlog.open", 2)
				.is("backlog.pending", 1)
				.is("backlog.unassigned", 2);
		}
		assertThat(report("summary?" + THREE_DAYS + "&timeZone=" + NEW_YORK, admin()).get("from").asText())
			.isEqualTo("2026-10-31T00:00:00-04:00");
		assertThat(report("summary?" + THREE_DAYS + "&timeZone=" + NEW_YORK, admin()).get("to").asText())
			.isEqualTo("2026-11-03T00:00:00-05:00");
		// read through month buckets: the same figures
		var months = report("summary?from=2026-10-01&to=2026-12-01", admin());
		expect(months, "months").is("ticketsCreated", 5).is("ticketsResolved", 3).is("escalations", 2);
	}

	@Test
	void newYorksTwentyFiveHourSundayHoldsWhatUtcCountsOnMonday() {
		// Sunday in New York is 11-01 04:00Z to 11-02 05:00Z: T3 created; T2 resolved at 04:45Z, its second cycle breached
		// (03:00Z) and escalated (04:30Z); in UTC those are Monday's
		var sunday = report("summary?from=2026-11-01&to=2026-11-02&timeZone=" + NEW_YORK, admin());
		expect(sunday, "NY Sunday").is("ticketsCreated", 1)
			.is("ticketsResolved", 1)
			.is("ticketsReopened", 0)
			.is("customerMessages", 1)
			.is("agentReplies", 0)
			.is("sla.resolution.breached", 1)
			.is("sla.resolution.met", 0)
			.is("escalations", 1)
			.is("resolutionSeconds.count", 1)
			.is("resolutionSeconds.average", 110700.0)
			.is("firstResponseSeconds.count", 0)
			.none("firstResponseSeconds.median")
			.none("csat.average");
		var utcSunday = report("summary?from=2026-11-01&to=2026-11-02", admin());
		expect(utcSunday, "UTC Sunday").is("ticketsCreated", 1)
			.is("ticketsResolved", 1) // T2 at 02:00
			.is("ticketsReopened", 1)
			.is("customerMessages", 3)
			.is("sla.resolution.met", 1)
			.is("sla.resolution.breached", 0)
			.is("escalations", 0);
		// a range of quarter hours inside the day: 05:15Z to 06:30Z holds T3's creation and its message
		var quarters = report("summary?from=2026-11-01T01:15:00-04:00&to=2026-11-01T01:30:00-05:00", admin());
		expect(quarters, "quarters").is("ticketsCreated", 1).is("customerMessages", 1);
	}

	@Test
	void dailySeriesInUtcAndNewYork() {
		assertSeries("ticketsCreated", "day", UTC, THREE_DAYS, days(UTC), "2", "1", "2");
		assertSeries("ticketsCreated", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "2", "1", "2");
		assertSeries("ticketsResolved", "day", UTC, THREE_DAYS, days(UTC), "0", "1", "2");
		assertSeries("ticketsResolved", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "1", "1", "1");
		assertSeries("customerMessages", "day", UTC, THREE_DAYS, days(UTC), "1", "3", "0");
		assertSeries("customerMessages", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "3", "1", "0");
		assertSeries("ticketsReopened", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "1", "0", "0");
		assertSeries("ticketsClosed", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "0", "0", "1");
		assertSeries("agentReplies", "day", UTC, THREE_DAYS, days(UTC), "1", "0", "3");
		assertSeries("sla.firstResponse.met", "day", UTC, THREE_DAYS, days(UTC), "1", "0", "2");
		assertSeries("sla.firstResponse.breached", "day", UTC, THREE_DAYS, days(UTC), "0", "0", "1");
		assertSeries("sla.resolution.met", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "1", "0", "1");
		assertSeries("sla.resolution.breached", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "0", "1", "0");
		assertSeries("sla.resolution.breached", "day", UTC, THREE_DAYS, days(UTC), "0", "0", "1");
		assertSeries("escalations", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "0", "1", "1");
		assertSeries("escalations", "day", UTC, THREE_DAYS, days(UTC), "0", "0", "2");
		assertSeries("csat.answers", "day", UTC, THREE_DAYS, days(UTC), "0", "0", "2");
		assertSeries("csat.average", "day", UTC, THREE_DAYS, days(UTC), "null", "null", "4.0");
		assertSeries("resolutionSeconds.count", "day", UTC, THREE_DAYS, days(UTC), "0", "1", "2");
		assertSeries("businessFirstResponseSeconds.count", "day", UTC, THREE_DAYS, days(UTC), "0", "0", "2");
		// backlog at each day's end: UTC 11-01 00:00 T1 open, T2 pending; 11-02 00:00 T1, T2 (reopened), T3 open, T3
		// unassigned; 11-03 00:00 T3, T5 open and unassigned, T4 pending
		assertSeries("backlog.open", "day", UTC, THREE_DAYS, days(UTC), "1", "3", "2");
		assertSeries("backlog.pending", "day", UTC, THREE_DAYS, days(UTC), "1", "0", "1");
		assertSeries("backlog.unassigned", "day", UTC, THREE_DAYS, days(UTC), "0", "1", "2");
		// New York: 11-01 04:00Z T1 open, T2 reopened at 03:00Z; 11-02 05:00Z T1 and T3 open (T2 resolved at 04:45Z)
		assertSeries("backlog.open", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "2", "2", "2");
		assertSeries("backlog.unassigned", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "0", "1", "2");
		assertSeries("backlog.pending", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "0", "0", "1");
		// first response median per day: 3600 (T2); none; 171000, 9900, 2700 -> 9900
		var medians = series("firstResponseSeconds.median", "day", UTC, THREE_DAYS);
		assertThat(medians.get(0).get("value").asDouble()).isCloseTo(3600, Percentage.withPercentage(5));
		assertThat(medians.get(1).get("value").isNull()).isTrue();
		assertThat(medians.get(2).get("value").asDouble()).isCloseTo(9900, Percentage.withPercentage(5));
		var p90 = series("resolutionSeconds.p90", "day", NEW_YORK, THREE_DAYS);
		// New York days: 14400 (T2 first); 110700 (T2 again); 176400 (T1)
		assertThat(p90.get(0).get("value").asDouble()).isCloseTo(14400, Percentage.withPercentage(5));
		assertThat(p90.get(1).get("value").asDouble()).isCloseTo(110700, Percentage.withPercentage(5));
		assertThat(p90.get(2).get("value").asDouble()).isCloseTo(176400, Percentage.withPercentage(5));
	}

	@Test
	void hourlySeriesOfNewYorksFallBackDayHasOneOClockTwice() {
		var created = series("ticketsCreated", "hour", NEW_YORK, "from=2026-11-01&to=2026-11-02");
		assertThat(created).hasSize(25);
		assertThat(created.get(1).get("start").asText()).isEqualTo("2026-11-01T01:00:00-04:00");
		assertThat(created.get(2).get("start").asText()).isEqualTo("2026-11-01T01:00:00-05:00");
		assertThat(created.get(24).get("start").asText()).isEqualTo("2026-11-01T23:00:00-05:00");
		assertThat(values(created)).containsExactly(expectOne(25, 1)); // T3 at 01:20 EDT
		var messages = series("customerMessages", "hour", NEW_YORK, "from=2026-11-01&to=2026-11-02");
		assertThat(values(messages)).containsExactly(expectOne(25, 2)); // T3's message at 01:20 EST
		var resolved = series("ticketsResolved", "hour", NEW_YORK, "from=2026-11-01&to=2026-11-02");
		assertThat(values(resolved)).containsExactly(expectOne(25, 24)); // T2 at 23:45 EST
		var breached = series("sla.resolution.breached", "hour", NEW_YORK, "from=2026-11-01&to=2026-11-02");
		assertThat(values(breached)).containsExactly(expectOne(25, 23)); // due 22:00 EST
		// in UTC the same day has 24 hours, T3 at 05:xx and its message at 06:xx
		var utc = series("ticketsCreated", "hour", UTC, "from=2026-11-01&to=2026-11-02");
		assertThat(values(utc)).containsExactly(expectOne(24, 5));
	}

	@Test
	void weeklyAndMonthlySeriesInBothTimeZones() {
		// ISO weeks: Monday 10-26 (clipped to Saturday) and Monday 11-02
		assertSeries("ticketsCreated", "week", UTC, THREE_DAYS,
				List.of("2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z"), "3", "2");
		assertSeries("ticketsResolved", "week", UTC, THREE_DAYS,
				List.of("2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z"), "1", "2");
		assertSeries("ticketsResolved", "week", NEW_YORK, THREE_DAYS,
				List.of("2026-10-31T00:00:00-04:00", "2026-11-02T00:00:00-05:00"), "2", "1");
		assertSeries("escalations", "week", NEW_YORK, THREE_DAYS,
				List.of("2026-10-31T00:00:00-04:00", "2026-11-02T00:00:00-05:00"), "1", "1");
		// months: October (clipped to its last day) and November
		assertSeries("ticketsCreated", "month", UTC, THREE_DAYS,
				List.of("2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z"), "2", "3");
		assertSeries("customerMessages", "month", UTC, THREE_DAYS,
				List.of("2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z"), "1", "3");
		assertSeries("customerMessages", "month", NEW_YORK, THREE_DAYS,
				List.of("2026-10-31T00:00:00-04:00", "2026-11-01T00:00:00-04:00"), "3", "1");
		assertSeries("ticketsReopened", "month", NEW_YORK, THREE_DAYS,
				List.of("2026-10-31T00:00:00-04:00", "2026-11-01T00:00:00-04:00"), "1", "0");
		assertSeries("ticketsCreated", "month", UTC, "from=2026-10-01&to=2026-12-01",
				List.of("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"), "2", "3");
		assertSeries("backlog.open", "month", UTC, "from=2026-10-01&to=2026-12-01",
				List.of("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"), "1", "2");
	}

	@Test
	void breakdownByAgentCountsEveryTicketForItsCurrentAgent() {
		for (var zone : List.of(UTC, NEW_YORK)) {
			var rows = rows(report("breakdown?by=agent&" + THREE_DAYS + "&timeZone=" + zone, admin()));
			assertThat(rows).containsOnlyKeys(alice.toString(), bob.toString());
			// Alice: T1 only (T4 went to Bob, with the reply Alice wrote on it)
			expect(rows.get(alice.toString()), "alice").is("ticketsCreated", 1)
				.is("ticketsResolved", 1)
				.is("ticketsReopened", 0)
				.is("ticketsClosed", 0)
				.is("customerMessages", 1)
				.is("agentReplies", 1)
				.is("firstResponseSeconds.count", 1)
				.is("firstResponseSeconds.average", 171000.0)
				.near("firstResponseSeconds.median", 171000)
				.is("resolutionSeconds.average", 176400.0)
				.is("businessFirstResponseSeconds.average", 1800.0)
				.is("businessResolutionSeconds.average", 7200.0)
				.is("sla.firstResponse.met", 1)
				.is("sla.firstResponse.breached", 0)
				.is("sla.resolution.met", 1)
				.is("escalations", 0)
				.is("csat.answers", 1)
				.is("csat.average", 5.0)
				.is("csat.satisfiedShare", 1.0);
			// Bob: T2 and T4
			expect(rows.get(bob.toString()), "bob").is("ticketsCreated", 2)
				.is("ticketsResolved", 2)
				.is("ticketsReopened", 1)
				.is("ticketsClosed", 1)
				.is("customerMessages", 2)
				.is("agentReplies", 2)
				.is("firstResponseSeconds.count", 2)
				.is("firstResponseSeconds.average", 6750.0) // (3600 + 9900) / 2
				.near("firstResponseSeconds.median", 3600)
				.is("resolutionSeconds.count", 2)
				.is("resolutionSeconds.average", 62550.0) // (14400 + 110700) / 2
				.is("businessFirstResponseSeconds.count", 1)
				.is("businessFirstResponseSeconds.average", 6300.0)
				.is("businessResolutionSeconds.count", 0)
				.none("businessResolutionSeconds.average")
				.is("sla.firstResponse.met", 1)
				.is("sla.firstResponse.breached", 1)
				.is("sla.resolution.met", 1)
				.is("sla.resolution.breached", 1)
				.is("escalations", 2)
				.is("csat.answers", 1)
				.is("csat.average", 3.0)
				.is("csat.satisfiedShare", 0.0);
		}
		// Sunday in New York: only Bob's T2 has figures (resolved, breached, escalated)
		var sunday = rows(report("breakdown?by=agent&from=2026-11-01&to=2026-11-02&timeZone=" + NEW_YORK, admin()));
		assertThat(sunday).containsOnlyKeys(bob.toString());
		expect(sunday.get(bob.toString()), "bob on Sunday").is("ticketsResolved", 1)
			.is("escalations", 1)
			.is("ticketsCreated", 0);
	}

	@Test
	void breakdownByCategoryTagAndPriority() {
		var categories = rows(report("breakdown?by=category&" + THREE_DAYS, admin()));
		assertThat(categories).containsOnlyKeys(billing.toString(), shipping.toString());
		// Billing: T1, T4
		expect(categories.get(billing.toString()), "billing").is("ticketsCreated", 2)
			.is("ticketsResolved", 1)
			.is("customerMessages", 1)
			.is("agentReplies", 2)
			.is("firstResponseSeconds.average", 90450.0) // (171000 + 9900) / 2
			.near("firstResponseSeconds.median", 9900)
			.is("sla.firstResponse.met", 1)
			.is("sla.firstResponse.breached", 1)
			.is("escalations", 1)
			.is("csat.average", 5.0);
		// Shipping: T2, T5
		expect(categories.get(shipping.toString()), "shipping").is("ticketsCreated", 2)
			.is("ticketsResolved", 2)
			.is("ticketsReopened", 1)
			.is("ticketsClosed", 1)
			.is("customerMessages", 2)
			.is("agentReplies", 2)
			.is("firstResponseSeconds.average", 3150.0) // (3600 + 2700) / 2
			.near("firstResponseSeconds.median", 2700)
			.is("sla.firstResponse.met", 2)
			.is("sla.resolution.met", 1)
			.is("sla.resolution.breached", 1)
			.is("escalations", 1)
			.is("csat.average", 3.0);

		var tags = rows(report("breakdown?by=tag&" + THREE_DAYS + "&timeZone=" + NEW_YORK, admin()));
		assertThat(tags).containsOnlyKeys(vip.toString(), refund.toString());
		// vip: T1, T3, T5
		expect(tags.get(vip.toString()), "vip").is("ticketsCreated", 3)
			.is("ticketsResolved", 1)
			.is("customerMessages", 2)
			.is("agentReplies", 2)
			.is("firstResponseSeconds.average", 86850.0) // (171000 + 2700) / 2
			.is("sla.firstResponse.met", 2)
			.is("escalations", 0)
			.is("csat.answers", 1);
		// refund: T2, T3
		expect(tags.get(refund.toString()), "refund").is("ticketsCreated", 2)
			.is("ticketsResolved", 2)
			.is("ticketsReopened", 1)
			.is("ticketsClosed", 1)
			.is("customerMessages", 3)
			.is("agentReplies", 1)
			.is("firstResponseSeconds.average", 3600.0)
			.is("sla.resolution.breached", 1)
			.is("escalations", 1)
			.is("csat.average", 3.0);

		var priorities = rows(report("breakdown?by=priority&" + THREE_DAYS, admin()));
		assertThat(priorities).containsOnlyKeys("HIGH", "MEDIUM", "LOW");
		expect(priorities.get("HIGH"), "HIGH").is("ticketsCreated", 2)
			.is("businessFirstResponseSeconds.count", 2)
			.is("businessResolutionSeconds.count", 1)
			.is("escalations", 1);
		expect(priorities.get("MEDIUM"), "MEDIUM").is("ticketsCreated", 2)
			.is("businessFirstResponseSeconds.count", 0)
			.is("resolutionSeconds.count", 2);
		// T3: no policy, so no SLA figures
		expect(priorities.get("LOW"), "LOW").is("ticketsCreated", 1)
			.is("customerMessages", 1)
			.is("sla.firstResponse.met", 0)
			.is("sla.firstResponse.breached", 0)
			.is("firstResponseSeconds.count", 0);
	}

	@Test
	void anAgentKeyReadsOnlyItsOwnFigures() {
		var bobs = report("summary?" + THREE_DAYS, bobKey);
		expect(bobs, "bob").is("ticketsCreated", 2)
			.is("escalations", 2)
			.is("csat.answers", 1)
			// T2 closed, T4 pending
			.is("backlog.open", 0)
			.is("backlog.pending", 1)
			.is("backlog.unassigned", 0);
		var alices = report("summary?" + THREE_DAYS + "&timeZone=" + NEW_YORK, aliceKey);
		expect(alices, "alice").is("ticketsCreated", 1).is("escalations", 0).is("backlog.open", 0);
		assertSeriesWithKey(aliceKey, "ticketsCreated", "day", NEW_YORK, THREE_DAYS, days(NEW_YORK), "1", "0", "0");
		var own = report("breakdown?by=agent&" + THREE_DAYS, aliceKey);
		assertThat(rows(own)).containsOnlyKeys(alice.toString());
		var refused = api.get("/api/v1/analytics/breakdown?by=tag&" + THREE_DAYS, aliceKey);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void anotherMerchantsFiguresAreNeverShown() {
		var theirs = report("summary?" + THREE_DAYS, other.adminKey());
		expect(theirs, "other").is("ticketsCreated", 1)
			.is("customerMessages", 0)
			.is("escalations", 0)
			.is("backlog.open", 1)
			.is("backlog.unassigned", 1);
		assertThat(rows(report("breakdown?by=priority&" + THREE_DAYS, other.adminKey()))).containsOnlyKeys("HIGH");
		// and ours hold none of theirs (5 created, as counted above; HIGH has T1 and T4 only)
		expect(report("summary?" + THREE_DAYS, admin()), "ours").is("ticketsCreated", 5);
		expect(rows(report("breakdown?by=priority&" + THREE_DAYS, admin())).get("HIGH"), "our HIGH").is("ticketsCreated",
				2);
	}

	@Test
	void csvOfTheHistory() {
		var daily = csv("timeseries?metric=ticketsResolved&groupBy=day&" + THREE_DAYS + "&timeZone=" + NEW_YORK);
		assertThat(daily).isEqualTo("start,ticketsResolved\r\n2026-10-31T00:00:00-04:00,1\r\n"
				+ "2026-11-01T00:00:00-04:00,1\r\n2026-11-02T00:00:00-05:00,1\r\n");
		var priorities = csv("breakdown?by=priority&" + THREE_DAYS).split("\r\n");
		assertThat(priorities).hasSize(4);
		assertThat(priorities[0]).startsWith("key,ticketsCreated,ticketsResolved,ticketsReopened,ticketsClosed,"
				+ "customerMessages,agentReplies,firstResponseSeconds.count,firstResponseSeconds.average,");
		// key, created, resolved, reopened, closed, customer messages, replies, first responses, their average
		assertThat(priorities[1]).startsWith("HIGH,2,1,0,0,1,2,2,90450,");
		assertThat(priorities[2]).startsWith("LOW,1,0,0,0,1,0,0,,,,0,");
		assertThat(priorities[3]).startsWith("MEDIUM,2,2,1,1,2,2,2,3150,");
		var summary = csv("summary?" + THREE_DAYS).split("\r\n");
		assertThat(summary[1]).startsWith("2026-10-31T00:00:00Z,2026-11-03T00:00:00Z,UTC,5,3,1,1,4,4,4,46800,")
			.endsWith(",2,1,2");
	}

	// ---- the history's steps

	private void at(String instant) {
		clock.set(Instant.parse(instant));
	}

	private String admin() {
		return merchant.adminKey();
	}

	private UUID ticket(String priority, UUID categoryId, UUID... tags) {
		var body = new LinkedHashMap<String, Object>();
		body.put("subject", "A " + priority + " ticket");
		body.put("requester", Map.of("email", "customer@example.com"));
		body.put("priority", priority);
		if (categoryId != null) {
			body.put("categoryId", categoryId);
		}
		body.put("tagIds", List.of(tags));
		return id(ok(api.post("/api/v1/tickets", admin(), body)));
	}

	private void assign(UUID ticket, UUID agent) {
		ok(api.post("/api/v1/tickets/" + ticket + "/assignment", admin(), Map.of("agentId", agent)));
	}

	private void message(UUID ticket, String key, String authorType, boolean internal) {
		ok(api.post("/api/v1/tickets/" + ticket + "/messages", key,
				Map.of("body", "text", "authorType", authorType, "internal", internal)));
	}

	private void status(UUID ticket, String status) {
		ok(api.post("/api/v1/tickets/" + ticket + "/status", admin(), Map.of("status", status)));
	}

	private void awaitStatus(UUID ticket, String status) {
		assertThat(ok(api.get("/api/v1/tickets/" + ticket, admin())).get("status").asText()).isEqualTo(status);
	}

	private JsonNode clockOf(UUID ticket, String metric) {
		for (var clock : ok(api.get("/api/v1/tickets/" + ticket + "/sla", admin())).get("clocks")) {
			if (clock.get("metric").asText().equals(metric)) {
				return clock;
			}
		}
		return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
	}

	/** The SLA listeners run after the commit: the next step waits for the clock they leave. */
	private void awaitClock(UUID ticket, String metric, String state) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> clockOf(ticket, metric).path("state").asText().equals(state));
	}

	private void sweepAt(String instant) {
		at(instant);
		assertThat(api.post("/ops/v1/sla-monitor/run", TestApi.OPS_TOKEN, Map.of()).status()).isEqualTo(202);
	}

	/** The escalation's one level ran (at the clock's time, which stands still meanwhile). */
	private void awaitEscalationRan(UUID ticket) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.sql("SELECT count(*) FROM sla_escalation WHERE ticket_id = ? AND (next_level > 1 OR state <> 'ACTIVE')")
				.param(ticket)
				.query(Long.class)
				.single() == 1);
	}

	private String awaitSurvey(UUID ticket) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> api.get("/api/v1/tickets/" + ticket + "/survey", admin()).status() == 200);
		return api.get("/api/v1/tickets/" + ticket + "/survey", admin()).body().get("token").asText();
	}

	private void answer(String token, int rating) {
		var response = api.post("/public/v1/surveys/" + token + "/response", null, Map.of("rating", rating));
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
	}

	private long dirtyTickets(Merchant merchant) {
		return jdbc.sql("SELECT count(*) FROM analytics_dirty_ticket WHERE merchant_id = ?")
			.param(merchant.id())
			.query(Long.class)
			.single();
	}

	private JsonNode agent(String name) {
		return ok(api.post("/api/v1/agents", admin(),
				Map.of("name", name, "email", name + "-" + UUID.randomUUID() + "@example.com", "capacity", 10)));
	}

	private static Map<String, Object> weekdays(String from, String to) {
		var weekly = new LinkedHashMap<String, Object>();
		for (var day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")) {
			weekly.put(day, List.of(Map.of("from", from, "to", to)));
		}
		return weekly;
	}

	private static JsonNode ok(TestApi.Response response) {
		assertThat(response.status()).as(String.valueOf(response.body())).isBetween(200, 299);
		return response.body();
	}

	private static UUID id(JsonNode body) {
		return UUID.fromString(body.get("id").asText());
	}

	// ---- reading the reports

	private JsonNode report(String pathAndQuery, String key) {
		return ok(api.get("/api/v1/analytics/" + pathAndQuery, key));
	}

	private List<JsonNode> series(String metric, String groupBy, String zone, String range) {
		return series(metric, groupBy, zone, range, admin());
	}

	private List<JsonNode> series(String metric, String groupBy, String zone, String range, String key) {
		var body = report("timeseries?metric=" + metric + "&groupBy=" + groupBy + "&" + range + "&timeZone=" + zone, key);
		assertThat(body.get("metric").asText()).isEqualTo(metric);
		assertThat(body.get("groupBy").asText()).isEqualTo(groupBy);
		assertThat(body.get("timeZone").asText()).isEqualTo(zone);
		var points = new ArrayList<JsonNode>();
		body.get("points").forEach(points::add);
		return points;
	}

	private void assertSeries(String metric, String groupBy, String zone, String range, List<String> starts,
			String... values) {
		assertSeriesWithKey(admin(), metric, groupBy, zone, range, starts, values);
	}

	private void assertSeriesWithKey(String key, String metric, String groupBy, String zone, String range,
			List<String> starts, String... values) {
		var points = series(metric, groupBy, zone, range, key);
		assertThat(points).extracting(p -> p.get("start").asText()).as(metric + " " + zone).containsExactlyElementsOf(starts);
		assertThat(points).extracting(p -> p.get("value").asText())
			.as(metric + " by " + groupBy + " in " + zone)
			.containsExactly(values);
	}

	private static List<String> days(String zone) {
		return zone.equals(UTC) ? List.of("2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")
				: List.of("2026-10-31T00:00:00-04:00", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00");
	}

	private static List<String> values(List<JsonNode> points) {
		return points.stream().map(p -> p.get("value").asText()).toList();
	}

	/** {@code size} values, all "0" but a "1" at {@code index}. */
	private static String[] expectOne(int size, int index) {
		var values = new String[size];
		java.util.Arrays.fill(values, "0");
		values[index] = "1";
		return values;
	}

	private static Map<String, JsonNode> rows(JsonNode breakdown) {
		var rows = new LinkedHashMap<String, JsonNode>();
		breakdown.get("rows").forEach(row -> rows.put(row.get("key").asText(), row));
		return rows;
	}

	private String csv(String pathAndQuery) {
		try {
			var request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/analytics/" + pathAndQuery))
				.header("Authorization", "Bearer " + admin())
				.header("Accept", "text/csv")
				.build();
			var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
			return response.body();
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static Expectations expect(JsonNode node, String what) {
		return new Expectations(node, what);
	}

	/** Checks fields by dotted name: exact counts and averages, quantiles within 5%, null where undefined. */
	private record Expectations(JsonNode node, String what) {

		JsonNode at(String path) {
			var current = node;
			for (var part : path.split("\\.")) {
				current = current.path(part);
			}
			assertThat(current.isMissingNode()).as(what + ": " + path + " present").isFalse();
			return current;
		}

		Expectations is(String path, long expected) {
			assertThat(at(path).isIntegralNumber()).as(what + ": " + path + " is a count").isTrue();
			assertThat(at(path).asLong()).as(what + ": " + path).isEqualTo(expected);
			return this;
		}

		Expectations is(String path, double expected) {
			assertThat(at(path).isNumber()).as(what + ": " + path + " is a number").isTrue();
			assertThat(at(path).asDouble()).as(what + ": " + path).isEqualTo(expected);
			return this;
		}

		Expectations is(String path, String expected) {
			assertThat(at(path).asText()).as(what + ": " + path).isEqualTo(expected);
			return this;
		}

		Expectations near(String path, double expectedSeconds) {
			assertThat(at(path).isNumber()).as(what + ": " + path + " is a number").isTrue();
			assertThat(at(path).asDouble()).as(what + ": " + path)
				.isCloseTo(expectedSeconds, Percentage.withPercentage(5));
			return this;
		}

		Expectations none(String path) {
			assertThat(at(path).isNull()).as(what + ": " + path + " is null").isTrue();
			return this;
		}
	}
}
