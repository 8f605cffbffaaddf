package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.sla.SlaMonitorJob;
import com.acme.helpdesk.support.MutableClock;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.fasterxml.jackson.databind.JsonNode;

/** SLA clock rules with a controlled clock: listeners run for real, sweeps are called directly. */
@SlaTest
class SlaClockTests {

	static final String BERLIN_WEEKDAYS = """
			{"timeZone": "Europe/Berlin", "weekly": {
			  "MONDAY": [{"from": "09:00", "to": "18:00"}], "TUESDAY": [{"from": "09:00", "to": "18:00"}],
			  "WEDNESDAY": [{"from": "09:00", "to": "18:00"}], "THURSDAY": [{"from": "09:00", "to": "18:00"}],
			  "FRIDAY": [{"from": "09:00", "to": "18:00"}]}}""";

	@Autowired
	TestApi api;

	@Autowired
	MutableClock clock;

	@Autowired
	SlaTestConfiguration.EventRecorder recorder;

	@Autowired
	RunSlaMonitor monitor;

	@Autowired
	SweepSlaClocks sweep;

	@Autowired
	SlaClocks slaClocks;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void ticketCreatedFridayEveningWithOneHourTargetInWeekdayHoursIsDueMondayMorningWarnsAndBreachesOnce() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "HIGH", "PT1H", "PT8H", 80, BERLIN_WEEKDAYS);
		clock.set(berlin("2025-01-03T17:30")); // a Friday
		var ticketId = createTicket(merchant, "HIGH");

		var clocks = awaitClocks(merchant, ticketId);
		assertThat(clocks.get("FIRST_RESPONSE").get("dueAt").asText()).isEqualTo(berlin("2025-01-06T09:30").toString());
		assertThat(clocks.get("FIRST_RESPONSE").get("warnAt").asText()).isEqualTo(berlin("2025-01-06T09:18").toString());
		assertThat(clocks.get("RESOLUTION").get("dueAt").asText()).isEqualTo(berlin("2025-01-06T16:30").toString());
		assertThat(clocks.get("FIRST_RESPONSE").get("state").asText()).isEqualTo("RUNNING");

		sweepAt(berlin("2025-01-06T09:17:59"));
		assertThat(recorder.of(SlaWarning.class, ticketId)).isEmpty();
		sweepAt(berlin("2025-01-06T09:18"));
		assertThat(recorder.of(SlaWarning.class, ticketId)).singleElement()
			.satisfies(w -> assertThat(w.metric()).isEqualTo(SlaMetric.FIRST_RESPONSE));
		sweepAt(berlin("2025-01-06T09:29:59"));
		assertThat(recorder.of(SlaBreached.class, ticketId)).isEmpty();
		for (int i = 0; i < 5; i++) {
			sweepAt(berlin("2025-01-06T09:30").plusSeconds(i));
		}
		assertThat(recorder.of(SlaBreached.class, ticketId)).singleElement()
			.satisfies(b -> assertThat(b.dueAt()).isEqualTo(berlin("2025-01-06T09:30")));
		assertThat(recorder.of(SlaWarning.class, ticketId)).hasSize(1);
		var after = clocks(merchant, ticketId);
		assertThat(after.get("FIRST_RESPONSE").get("warned").asBoolean()).isTrue();
		assertThat(after.get("FIRST_RESPONSE").get("breached").asBoolean()).isTrue();
		assertThat(after.get("RESOLUTION").get("warned").asBoolean()).isFalse();
	}

	@Test
	void twoHoursInPendingPushTheDueTimesTwoHours() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "MEDIUM", "PT1H", "PT4H", 80, null);
		var created = Instant.parse("2025-02-03T10:00:00Z");
		clock.set(created);
		var ticketId = createTicket(merchant, "MEDIUM");
		assertThat(awaitClocks(merchant, ticketId).get("RESOLUTION").get("dueAt").asText()).isEqualTo("2025-02-03T14:00:00Z");

		clock.set(created.plus(Duration.ofMinutes(30)));
		changeStatus(merchant, ticketId, "PENDING");
		await().until(() -> clocks(merchant, ticketId).get("RESOLUTION").get("state").asText().equals("PAUSED"));
		clock.set(created.plus(Duration.ofMinutes(90)));
		assertThat(clocks(merchant, ticketId).get("RESOLUTION").get("pausedFor").asText()).isEqualTo("PT1H");
		sweepAt(created.plus(Duration.ofHours(5))); // a paused clock neither warns nor breaches
		assertThat(recorder.of(SlaBreached.class, ticketId)).isEmpty();

		clock.set(created.plus(Duration.ofMinutes(150)));
		changeStatus(merchant, ticketId, "OPEN");
		await().until(() -> clocks(merchant, ticketId).get("RESOLUTION").get("state").asText().equals("RUNNING"));
		var clocks = clocks(merchant, ticketId);
		assertThat(clocks.get("RESOLUTION").get("dueAt").asText()).isEqualTo("2025-02-03T16:00:00Z");
		assertThat(clocks.get("FIRST_RESPONSE").get("dueAt").asText()).isEqualTo("2025-02-03T13:00:00Z");
		assertThat(clocks.get("RESOLUTION").get("pausedFor").asText()).isEqualTo("PT2H");

		sweepAt(Instant.parse("2025-02-03T15:59:59Z"));
		assertThat(recorder.of(SlaBreached.class, ticketId)).extracting(SlaBreached::metric)
			.containsExactly(SlaMetric.FIRST_RESPONSE);
		sweepAt(Instant.parse("2025-02-03T16:00:00Z"));
		assertThat(recorder.of(SlaBreached.class, ticketId)).extracting(SlaBreached::metric)
			.containsExactly(SlaMetric.FIRST_RESPONSE, SlaMetric.RESOLUTION);
	}

	@Test
	void pendingOverAWeekendInBusinessHoursMovesTheDueTimeByTheBusinessTimeItTook() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "LOW", "PT2H", "PT10H", 50, BERLIN_WEEKDAYS);
		clock.set(berlin("2025-03-07T17:00")); // Friday
		var ticketId = createTicket(merchant, "LOW");
		assertThat(awaitClocks(merchant, ticketId).get("FIRST_RESPONSE").get("dueAt").asText())
			.isEqualTo(berlin("2025-03-10T10:00").toString());
		clock.set(berlin("2025-03-07T17:30"));
		changeStatus(merchant, ticketId, "PENDING");
		await().until(() -> clocks(merchant, ticketId).get("FIRST_RESPONSE").get("state").asText().equals("PAUSED"));
		clock.set(berlin("2025-03-10T09:45")); // Monday: 30 business minutes in PENDING
		changeStatus(merchant, ticketId, "IN_PROGRESS");
		await().until(() -> clocks(merchant, ticketId).get("FIRST_RESPONSE").get("state").asText().equals("RUNNING"));
		assertThat(clocks(merchant, ticketId).get("FIRST_RESPONSE").get("dueAt").asText())
			.isEqualTo(berlin("2025-03-10T11:15").toString());
	}

	@Test
	void onlyTheFirstPublicAgentReplyStopsTheFirstResponseClock() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "URGENT", "PT15M", "PT2H", 80, null);
		var created = Instant.parse("2025-04-01T08:00:00Z");
		clock.set(created);
		var ticketId = createTicket(merchant, "URGENT");
		awaitClocks(merchant, ticketId);

		clock.set(created.plus(Duration.ofMinutes(1)));
		message(merchant, ticketId, "AGENT", true);
		message(merchant, ticketId, "CUSTOMER", false);
		clock.set(created.plus(Duration.ofMinutes(5)));
		message(merchant, ticketId, "AGENT", false);
		await().until(() -> clocks(merchant, ticketId).get("FIRST_RESPONSE").get("state").asText().equals("STOPPED"));
		var clocks = clocks(merchant, ticketId);
		assertThat(clocks.get("FIRST_RESPONSE").get("stoppedAt").asText()).isEqualTo(created.plus(Duration.ofMinutes(5)).toString());
		assertThat(clocks.get("RESOLUTION").get("state").asText()).isEqualTo("RUNNING");

		sweepAt(created.plus(Duration.ofMinutes(30)));
		assertThat(recorder.of(SlaBreached.class, ticketId)).isEmpty();
		assertThat(recorder.of(SlaWarning.class, ticketId)).isEmpty();
	}

	@Test
	void resolvingStopsTheClocksAndReopeningRestartsTheResolutionClockWithItsFullTarget() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "MEDIUM", "PT1H", "PT4H", 75, null);
		var created = Instant.parse("2025-05-05T08:00:00Z");
		clock.set(created);
		var ticketId = createTicket(merchant, "MEDIUM");
		awaitClocks(merchant, ticketId);
		clock.set(created.plus(Duration.ofHours(3)));
		sweepAt(created.plus(Duration.ofHours(3)));
		assertThat(recorder.of(SlaWarning.class, ticketId)).extracting(SlaWarning::metric)
			.containsExactlyInAnyOrder(SlaMetric.FIRST_RESPONSE, SlaMetric.RESOLUTION);

		changeStatus(merchant, ticketId, "RESOLVED");
		await().until(() -> clocks(merchant, ticketId).get("RESOLUTION").get("state").asText().equals("STOPPED"));
		assertThat(clocks(merchant, ticketId).get("FIRST_RESPONSE").get("state").asText()).isEqualTo("STOPPED");
		sweepAt(created.plus(Duration.ofHours(10)));
		assertThat(recorder.of(SlaBreached.class, ticketId)).extracting(SlaBreached::metric)
			.containsExactly(SlaMetric.FIRST_RESPONSE); // breached before the resolve, at 09:00

		var reopened = created.plus(Duration.ofHours(10));
		clock.set(reopened);
		changeStatus(merchant, ticketId, "OPEN");
		await().until(() -> clocks(merchant, ticketId).get("RESOLUTION").get("state").asText().equals("RUNNING"));
		var clocks = clocks(merchant, ticketId);
		assertThat(clocks.get("RESOLUTION").get("cycle").asInt()).isEqualTo(2);
		assertThat(clocks.get("RESOLUTION").get("dueAt").asText()).isEqualTo(reopened.plus(Duration.ofHours(4)).toString());
		assertThat(clocks.get("RESOLUTION").get("warned").asBoolean()).isFalse();
		assertThat(clocks.get("FIRST_RESPONSE").get("state").asText()).isEqualTo("STOPPED");
		sweepAt(reopened.plus(Duration.ofHours(4)));
		assertThat(recorder.of(SlaWarning.class, ticketId)).hasSize(3);
		assertThat(recorder.of(SlaBreached.class, ticketId)).extracting(SlaBreached::cycle).containsExactly(1, 2);
	}

	@Test
	void breachFiresOnceForEveryClockWhenSweepsRunManyTimesAndAtOnce() throws Exception {
		var merchant = api.newMerchant();
		putPolicy(merchant, "HIGH", "PT10M", "PT1H", 80, null);
		var created = Instant.parse("2025-06-02T08:00:00Z");
		clock.set(created);
		var ticketId = createTicket(merchant, "HIGH");
		awaitClocks(merchant, ticketId);
		// 3,000 more clocks of this merchant, due together
		jdbc.sql("""
				INSERT INTO sla_clock (id, merchant_id, ticket_id, metric, cycle, state, target_ms, warning_percent,
				  started_at, running_since, consumed_ms, paused_ms, warn_at, due_at, warned, breached, last_change_at, version)
				SELECT gen_random_uuid(), ?, gen_random_uuid(), 'RESOLUTION', 1, 'RUNNING', 600000, 80, ?, ?, 0, 0, ?, ?,
				  FALSE, FALSE, ?, 0 FROM generate_series(1, 3000)""")
			.params(merchant.id(), ts(created), ts(created), ts(created.plusSeconds(480)), ts(created.plusSeconds(600)),
					ts(created))
			.update();
		var now = created.plus(Duration.ofHours(2));
		clock.set(now);

		var pool = Executors.newFixedThreadPool(4);
		try {
			var sweeps = new ArrayList<Callable<Integer>>();
			sweeps.add(() -> transactions.execute(s -> sweep.sweep(now))); // without the advisory lock
			sweeps.add(() -> transactions.execute(s -> sweep.sweep(now)));
			sweeps.add(() -> {
				monitor.run(new SlaMonitorJob("test"), run());
				return 0;
			});
			sweeps.add(() -> {
				monitor.run(new SlaMonitorJob("test"), run());
				return 0;
			});
			for (var result : pool.invokeAll(sweeps)) {
				result.get();
			}
		}
		finally {
			pool.shutdown();
		}
		for (int i = 0; i < 3; i++) {
			monitor.run(new SlaMonitorJob("test"), run());
		}

		var clockIds = jdbc.sql("SELECT id FROM sla_clock WHERE merchant_id = ?").param(merchant.id()).query(UUID.class).list();
		assertThat(clockIds).hasSize(3002);
		var breaches = recorder.all().stream().filter(SlaBreached.class::isInstance).map(SlaBreached.class::cast)
			.filter(b -> b.merchantId().equals(merchant.id())).toList();
		var warnings = recorder.all().stream().filter(SlaWarning.class::isInstance).map(SlaWarning.class::cast)
			.filter(w -> w.merchantId().equals(merchant.id())).toList();
		assertThat(breaches).extracting(SlaBreached::clockId).containsExactlyInAnyOrderElementsOf(clockIds);
		assertThat(warnings).extracting(SlaWarning::clockId).containsExactlyInAnyOrderElementsOf(clockIds);
		assertThat(jdbc.sql("SELECT count(*) FROM sla_clock WHERE merchant_id = ? AND NOT (warned AND breached)")
			.param(merchant.id()).query(Long.class).single()).isZero();
	}

	@Test
	void replayedTicketEventsChangeNoClock() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "MEDIUM", "PT1H", "PT4H", 80, null);
		var created = Instant.parse("2025-07-01T08:00:00Z");
		clock.set(created);
		var ticketId = createTicket(merchant, "MEDIUM");
		awaitClocks(merchant, ticketId);

		// started once, with the ticket; what the status listeners do, called synchronously (the listener methods
		// themselves run asynchronously)
		assertThat(clockCount(ticketId)).isEqualTo(2);

		var pending = new TicketStatusChanged(UUID.randomUUID(), ticketId, merchant.id(), TicketStatus.OPEN,
				TicketStatus.PENDING, null, null, created.plus(Duration.ofMinutes(10)), 1);
		var open = new TicketStatusChanged(UUID.randomUUID(), ticketId, merchant.id(), TicketStatus.PENDING,
				TicketStatus.OPEN, null, null, created.plus(Duration.ofMinutes(40)), 1);
		var reopen = new TicketStatusChanged(UUID.randomUUID(), ticketId, merchant.id(), TicketStatus.RESOLVED,
				TicketStatus.OPEN, null, null, created.plus(Duration.ofMinutes(50)), 1);
		apply(pending);
		apply(open);
		apply(reopen);
		var once = versions(ticketId);
		var view = clocks(merchant, ticketId);
		assertThat(view.get("RESOLUTION").get("cycle").asInt()).isEqualTo(2);

		for (var event : List.of(pending, open, reopen, pending, open)) {
			apply(event);
		}
		assertThat(versions(ticketId)).isEqualTo(once);
		assertThat(clocks(merchant, ticketId)).isEqualTo(view);
	}

	@Test
	void ticketWithoutAPolicyForItsPriorityHasNoClocks() {
		var merchant = api.newMerchant();
		putPolicy(merchant, "URGENT", "PT1H", "PT4H", 80, null);
		var ticketId = createTicket(merchant, "LOW");
		// clocks start with the ticket: none now means none ever
		assertThat(api.get("/api/v1/tickets/" + ticketId + "/sla", merchant.adminKey()).body().get("clocks")).isEmpty();
	}

	@Test
	void anotherMerchantsTicketSlaIsNotFound() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();
		var ticketId = createTicket(merchant, "LOW");
		assertThat(api.get("/api/v1/tickets/" + ticketId + "/sla", other.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/tickets/" + UUID.randomUUID() + "/sla", merchant.adminKey()).status()).isEqualTo(404);
		assertThat(api.get("/api/v1/tickets/" + ticketId + "/sla", merchant.adminKey()).status()).isEqualTo(200);
	}

	@Test
	void badPoliciesAreRefusedNamingTheFieldAndWriteNothing() {
		var merchant = api.newMerchant();
		var path = "/api/v1/sla-policies/HIGH";
		assertBad(merchant, path, "{\"firstResponse\": \"PT0S\", \"resolution\": \"PT1H\"}", "firstResponse");
		assertBad(merchant, path, "{\"firstResponse\": \"soon\", \"resolution\": \"PT1H\"}", "firstResponse");
		assertBad(merchant, path, "{\"firstResponse\": \"PT1H\"}", "resolution");
		assertBad(merchant, path, "{\"firstResponse\": \"PT1H\", \"resolution\": \"PT8H\", \"warningPercent\": 100}",
				"warningPercent");
		assertBad(merchant, path, """
				{"firstResponse": "PT1H", "resolution": "PT8H", "businessHours": {"timeZone": "Mars/Olympus", "weekly": {}}}""",
				"businessHours.timeZone");
		assertBad(merchant, path, """
				{"firstResponse": "PT1H", "resolution": "PT8H",
				 "businessHours": {"timeZone": "UTC", "weekly": {"MONDAY": [{"from": "18:00", "to": "09:00"}]}}}""",
				"businessHours.weekly.MONDAY[0].to");
		assertBad(merchant, path, """
				{"firstResponse": "PT1H", "resolution": "PT8H",
				 "businessHours": {"timeZone": "UTC", "weekly": {"MONDAY": [{"from": "9h", "to": "18:00"}]}}}""",
				"businessHours.weekly.MONDAY[0].from");
		assertBad(merchant, path, """
				{"firstResponse": "PT1H", "resolution": "PT8H", "businessHours": {"timeZone": "UTC", "weekly": {}}}""",
				"businessHours.weekly");
		assertThat(api.get(path, merchant.adminKey()).status()).isEqualTo(404);
		assertThat(api.put("/api/v1/sla-policies/SOMETIMES", merchant.adminKey(),
				Map.of("firstResponse", "PT1H", "resolution", "PT2H")).status()).isEqualTo(400);

		var escalation = "/api/v1/escalation-policy";
		assertBad(merchant, escalation, """
				{"levels": [{"after": "PT1H", "action": "NOTIFY_SUPERVISOR"}, {"after": "PT30M", "action": "REASSIGN"}]}""",
				"levels[1].after");
		assertBad(merchant, escalation, """
				{"levels": [{"after": "PT1H", "action": "SHOUT"}]}""", "levels[0].action");
		assertBad(merchant, escalation, """
				{"levels": [{"after": "PT1H", "action": "NOTIFY_SUPERVISOR", "supervisorAgentIds": ["%s"]}]}"""
			.formatted(UUID.randomUUID()), "levels[0].supervisorAgentIds[0]");
		assertThat(api.get(escalation, merchant.adminKey()).body().get("levels")).isEmpty();

		var good = api.put(path, merchant.adminKey(), """
				{"firstResponse": "PT1H", "resolution": "PT8H", "warningPercent": 80, "businessHours": %s}"""
			.formatted(BERLIN_WEEKDAYS));
		assertThat(good.status()).isEqualTo(200);
		assertThat(good.body().get("priority").asText()).isEqualTo("HIGH");
		assertThat(good.body().get("businessHours").get("weekly").get("MONDAY").get(0).get("from").asText()).isEqualTo("09:00");
		assertThat(api.get(path, merchant.adminKey()).body()).isEqualTo(good.body());
	}

	private void assertBad(TestApi.Merchant merchant, String path, String body, String field) {
		var response = api.put(path, merchant.adminKey(), body);
		assertThat(response.status()).as(body).isEqualTo(400);
		assertThat(response.body().get("errors").findValuesAsText("field")).as(body).contains(field);
	}

	// helpers

	void apply(TicketStatusChanged e) {
		slaClocks.statusChanged(TicketEventListeners.STATUS_CHANGED, e.eventId(), e.merchantId(), e.ticketId(), e.from(),
				e.to(), e.occurredAt());
	}

	static Instant berlin(String localDateTime) {
		return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), java.time.ZoneId.of("Europe/Berlin"))
			.toInstant();
	}

	static java.sql.Timestamp ts(Instant instant) {
		return java.sql.Timestamp.from(instant);
	}

	static JobRun run() {
		return new JobRun(UUID.randomUUID(), "test:" + UUID.randomUUID(), JobQueue.SLA_MONITOR, "sla-monitor", 1);
	}

	void sweepAt(Instant now) {
		clock.set(now);
		monitor.run(new SlaMonitorJob("test"), run());
	}

	void putPolicy(TestApi.Merchant merchant, String priority, String firstResponse, String resolution, int warning,
			String businessHours) {
		var body = """
				{"firstResponse": "%s", "resolution": "%s", "warningPercent": %d, "businessHours": %s}"""
			.formatted(firstResponse, resolution, warning, businessHours);
		var response = api.put("/api/v1/sla-policies/" + priority, merchant.adminKey(), body);
		assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
	}

	UUID createTicket(TestApi.Merchant merchant, String priority) {
		var response = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Parcel missing", "requester", Map.of("email", "ann@example.com"), "priority", priority));
		assertThat(response.status()).isEqualTo(201);
		return UUID.fromString(response.body().get("id").asText());
	}

	void changeStatus(TestApi.Merchant merchant, UUID ticketId, String status) {
		var response = api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(), Map.of("status", status));
		assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
	}

	void message(TestApi.Merchant merchant, UUID ticketId, String authorType, boolean internal) {
		var response = api.post("/api/v1/tickets/" + ticketId + "/messages", merchant.adminKey(),
				Map.of("body", "hello", "authorType", authorType, "internal", internal));
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
	}

	Map<String, JsonNode> awaitClocks(TestApi.Merchant merchant, UUID ticketId) {
		await().atMost(Duration.ofSeconds(10)).until(() -> clocks(merchant, ticketId).size() == 2);
		return clocks(merchant, ticketId);
	}

	Map<String, JsonNode> clocks(TestApi.Merchant merchant, UUID ticketId) {
		var response = api.get("/api/v1/tickets/" + ticketId + "/sla", merchant.adminKey());
		assertThat(response.status()).isEqualTo(200);
		var result = new java.util.TreeMap<String, JsonNode>();
		response.body().get("clocks").forEach(c -> result.put(c.get("metric").asText(), c));
		return result;
	}

	long clockCount(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM sla_clock WHERE ticket_id = ?").param(ticketId).query(Long.class).single();
	}

	List<Long> versions(UUID ticketId) {
		return jdbc.sql("SELECT version FROM sla_clock WHERE ticket_id = ? ORDER BY metric").param(ticketId)
			.query(Long.class).list();
	}
}
