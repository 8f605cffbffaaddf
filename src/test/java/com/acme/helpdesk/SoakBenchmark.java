package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * Not a test (run by hand): the service for {@code -Dsoak.minutes} (30) at a steady {@code -Dsoak.rate} (30) new
 * tickets a second, in a JVM of its own (as {@code java -jar} runs it, {@code -Xmx512m}), with its retention windows
 * shortened to minutes ({@link #RETENTION}, more with {@code -Dsoak.args}). The workload of issue 15 (one merchant, 3
 * {@code LOAD_BALANCED} categories, 10 agents, 5 tags, SLA policies, mail to GreenMail, a STOMP subscriber) plus the
 * life of each ticket: a customer message after 5 s (one in two), a public agent reply after 10 s, resolved after 20 s,
 * its satisfaction survey (sent at once) answered after 40 s (one in three).
 * <p>
 * Every minute it prints the row count of every table, the service's heap after a full GC, the p99 of the ticket POST
 * and of created -> {@code ticket.assigned} frame, and CPU per ticket (the service's JVM and all of PostgreSQL,
 * backends that ended meanwhile included).
 * At the end, per figure, the second half's first and last minute and its highest value: operational tables, heap and
 * latency should be flat there; the tables that hold the merchants' data (tickets, messages, ...) grow by design.
 *
 * <pre>./mvnw -B test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=SoakBenchmark [-Dsoak.minutes=30 -Dsoak.rate=30]</pre>
 */
class SoakBenchmark {

	/** Every retention the service has, in minutes, consistent with each other (start-up checks that). */
	static final List<String> RETENTION = List.of("--helpdesk.jobs.dead-letter-retention=PT3M",
			"--jobrunr.background-job-server.delete-succeeded-jobs-after=PT1M",
			"--jobrunr.background-job-server.permanently-delete-deleted-jobs-after=PT1M",
			"--helpdesk.jobs.idempotency-retention=PT10M", "--helpdesk.jobs.purge-cron=* * * * *",
			"--helpdesk.notifications.retention=PT10M", "--helpdesk.notifications.purge-cron=* * * * *",
			"--helpdesk.outbox.resubmit-older-than=PT1M", "--helpdesk.outbox.purge-incomplete-older-than=PT2M",
			"--helpdesk.outbox.purge-cron=* * * * *", "--helpdesk.outbox.purge-completed-older-than=PT5M", "--helpdesk.processed-events.retention=PT5M",
			"--helpdesk.processed-events.purge-cron=* * * * *");

	/** Tables holding what merchants keep (one row per ticket, message, survey, ...): they grow by design. */
	static final List<String> MERCHANT_DATA = List.of("ticket", "ticket_message", "ticket_history", "ticket_tag",
			"sla_clock", "sla_clock_cycle", "sla_escalation_level", "survey", "analytics_ticket", "analytics_bucket",
			"audit_event", "requester");

	static final ObjectMapper JSON = new ObjectMapper();
	static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

	final int rate = Integer.getInteger("soak.rate", 30);
	final int minutes = Integer.getInteger("soak.minutes", 30);
	final List<String> extraArgs = Arrays.stream(System.getProperty("soak.args", "").trim().split("\\s+"))
		.filter(arg -> !arg.isEmpty())
		.toList();
	final String java = ProcessHandle.current().info().command().orElse("java");
	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	final SplittableRandom random = new SplittableRandom(19);

	/** ticket id -> [minute it was created in, when its POST was sent (nanos)]. */
	final Map<String, long[]> sent = new ConcurrentHashMap<>();
	/** per minute: POST latencies and created -> assigned latencies (ms). */
	final Map<Integer, ConcurrentLinkedQueue<Double>> postMillis = new ConcurrentHashMap<>();
	final Map<Integer, ConcurrentLinkedQueue<Double>> assignedMillis = new ConcurrentHashMap<>();
	final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
	final AtomicInteger created = new AtomicInteger();
	final AtomicInteger surveysAnswered = new AtomicInteger();

	HelpdeskProcess app;
	String adminKey;
	List<String> categories;
	List<String> tags;

	@Test
	void soak() throws Exception {
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		var smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		smtp.start();
		var url = TestDatabase.url();
		var args = new ArrayList<>(List.of("--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtp.getSmtp().getPort()));
		args.addAll(RETENTION);
		args.addAll(extraArgs);
		var followUps = Executors.newScheduledThreadPool(64, daemon("soak-follow-up"));
		try (var process = HelpdeskProcess.start(java, List.of("-Xmx512m"), HelpdeskProcess.mainClassPath(),
				HelpdeskApplication.class.getName(), "soak-benchmark", url, TestDatabase.user(), TestDatabase.password(),
				args.toArray(String[]::new));
				var poller = new SingleConnectionDataSource(url, TestDatabase.user(), TestDatabase.password(), true)) {
			app = process;
			var jdbc = JdbcClient.create(poller);
			setUp(new TestApi(app.port()));
			try (var live = LiveClient.connect(app.port(), adminKey)) {
				assertThat(live.subscribe("/topic/observation/helpdesk/" + merchantId)).as("subscribed").isTrue();
				var frames = new Thread(() -> drainFrames(live), "soak-frames");
				frames.setDaemon(true);
				frames.start();
				var rows = new ArrayList<Map<String, Long>>();
				var heap = new ArrayList<Long>();
				var cpu = new ArrayList<Double>();
				System.out.printf("soak: %d tickets/s for %d min, retention %s%n", rate, minutes, RETENTION);
				var interval = 1_000_000_000L / rate;
				var start = System.nanoTime();
				var cpuBefore = cpuNanos();
				var createdBefore = 0;
				for (int minute = 0; minute < minutes; minute++) {
					var minuteStart = start + TimeUnit.MINUTES.toNanos(minute);
					for (int i = 0; i < 60 * rate; i++) {
						var due = minuteStart + i * interval;
						long wait;
						while ((wait = due - System.nanoTime()) > 0) {
							LockSupport.parkNanos(wait);
						}
						var m = minute;
						followUps.execute(() -> create(m, due, followUps));
					}
					var cpuNow = cpuNanos();
					var createdNow = created.get();
					cpu.add((cpuNow - cpuBefore) / 1e6 / Math.max(1, createdNow - createdBefore));
					cpuBefore = cpuNow;
					createdBefore = createdNow;
					rows.add(rowCounts(jdbc));
					heap.add(heapAfterGcKb());
					report(minute, rows.get(minute), heap.get(minute), cpu.get(minute));
				}
				followUps.shutdownNow();
				summary(rows, heap, cpu);
			}
		}
		finally {
			followUps.shutdownNow();
			smtp.stop();
			TestDatabase.drop();
		}
	}

	String merchantId;

	private void setUp(TestApi api) {
		var merchant = api.newMerchant();
		merchantId = merchant.id().toString();
		adminKey = merchant.adminKey();
		categories = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			categories.add(id(api.post("/api/v1/categories", adminKey,
					Map.of("name", "Category " + i, "routing", Map.of("strategy", "LOAD_BALANCED")))));
		}
		for (int i = 0; i < 10; i++) {
			id(api.post("/api/v1/agents", adminKey, Map.of("name", "Agent " + i, "email", "agent" + i + "@soak.example",
					"capacity", 10_000, "availability", "ONLINE", "categoryIds", List.of(categories.get(i % 3)))));
		}
		tags = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			tags.add(id(api.post("/api/v1/tags", adminKey, Map.of("name", "tag-" + i))));
		}
		for (var priority : List.of("LOW", "MEDIUM", "HIGH", "URGENT")) {
			assertThat(api.put("/api/v1/sla-policies/" + priority, adminKey,
					Map.of("firstResponse", "PT1H", "resolution", "PT8H")).status()).isEqualTo(200);
		}
		assertThat(api.put("/api/v1/settings", adminKey, Map.of("surveyDelay", "PT0S", "returnTicketsOfOfflineAgents",
				false)).status()).isEqualTo(200);
	}

	private void create(int minute, long due, ScheduledExecutorService followUps) {
		int requester;
		int category;
		int tag;
		boolean customerWrites;
		boolean answersSurvey;
		synchronized (random) {
			requester = random.nextInt(1000);
			category = random.nextInt(3);
			tag = random.nextInt(5);
			customerWrites = random.nextBoolean();
			answersSurvey = random.nextInt(3) == 0;
		}
		var body = """
				{"subject":"Order arrived damaged","description":"The parcel was open.",
				 "requester":{"email":"customer%d@soak.example","name":"Customer %d"},"categoryId":"%s","priority":"MEDIUM",
				 "tagIds":["%s"],"context":{"orderId":%d,"channel":"web"}}""".formatted(requester, requester,
				categories.get(category), tags.get(tag), due % 1_000_000);
		var response = send("POST", "/api/v1/tickets", adminKey, body);
		postMillis.computeIfAbsent(minute, m -> new ConcurrentLinkedQueue<>()).add((System.nanoTime() - due) / 1e6);
		if (response == null || response.statusCode() != 201) {
			failed("create", response);
			return;
		}
		var ticket = read(response).path("id").asText();
		sent.put(ticket, new long[] { minute, due });
		created.incrementAndGet();
		var path = "/api/v1/tickets/" + ticket;
		if (customerWrites) {
			followUps.schedule(() -> expect("customer message", 201, send("POST", path + "/messages", adminKey,
					"{\"body\":\"Any news?\",\"authorType\":\"CUSTOMER\",\"internal\":false}")), 5, TimeUnit.SECONDS);
		}
		followUps.schedule(() -> expect("agent reply", 201, send("POST", path + "/messages", adminKey,
				"{\"body\":\"We are on it.\",\"authorType\":\"AGENT\",\"internal\":false}")), 10, TimeUnit.SECONDS);
		followUps.schedule(() -> expect("resolve", 200, send("POST", path + "/status", adminKey,
				"{\"status\":\"RESOLVED\",\"reason\":\"replaced\"}")), 20, TimeUnit.SECONDS);
		if (answersSurvey) {
			followUps.schedule(() -> answerSurvey(path), 40, TimeUnit.SECONDS);
		}
	}

	private void answerSurvey(String ticketPath) {
		var survey = send("GET", ticketPath + "/survey", adminKey, null);
		if (survey == null || survey.statusCode() != 200) {
			failed("survey not there 20 s after resolution", survey);
			return;
		}
		var token = read(survey).path("token").asText();
		var answer = send("POST", "/public/v1/surveys/" + token + "/response", null, "{\"rating\":4,\"comment\":\"ok\"}");
		if (expect("survey answer", 201, answer)) {
			surveysAnswered.incrementAndGet();
		}
	}

	private boolean expect(String what, int status, HttpResponse<String> response) {
		if (response == null || response.statusCode() != status) {
			failed(what, response);
			return false;
		}
		return true;
	}

	private void failed(String what, HttpResponse<String> response) {
		failures.computeIfAbsent(what + " " + (response == null ? "no answer" : response.statusCode()),
				k -> new AtomicInteger()).incrementAndGet();
	}

	private HttpResponse<String> send(String method, String path, String key, String body) {
		try {
			var request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofMinutes(1));
			if (key != null) {
				request.header("Authorization", "Bearer " + key);
			}
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body));
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			return null;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private void drainFrames(LiveClient live) {
		while (!Thread.currentThread().isInterrupted()) {
			var frame = live.nextFrame(500);
			if (frame != null && "ticket.assigned".equals(frame.event())) {
				var ticket = sent.get(frame.envelope().path("ticketId").asText());
				if (ticket != null) {
					assignedMillis.computeIfAbsent((int) ticket[0], m -> new ConcurrentLinkedQueue<>())
						.add((frame.receivedAt() - ticket[1]) / 1e6);
				}
			}
		}
	}

	/** Exact row counts of every table of the service's database, by name. */
	private static Map<String, Long> rowCounts(JdbcClient jdbc) {
		var counts = new TreeMap<String, Long>();
		for (var table : jdbc.sql("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname")
			.query(String.class)
			.list()) {
			counts.put(table, jdbc.sql("SELECT count(*) FROM \"" + table + "\"").query(Long.class).single());
		}
		return counts;
	}

	/** The service's heap in use right after a full GC (jcmd), in KiB. */
	private long heapAfterGcKb() {
		var jcmd = Path.of(java).resolveSibling("jcmd").toString();
		run(jcmd, String.valueOf(app.pid()), "GC.run");
		var matcher = HEAP_USED.matcher(run(jcmd, String.valueOf(app.pid()), "GC.heap_info"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

	/**
	 * The service's CPU and PostgreSQL's, all of its processes with the backends that ended meanwhile (through the
	 * postmaster's children's time): Hikari retires connections, and their backends take their CPU with them.
	 */
	private long cpuNanos() {
		var usage = CpuUsage.ofProcess(app.pid());
		return usage.jvmNanos() + usage.postgresNanos();
	}

	private void report(int minute, Map<String, Long> rows, long heapKb, double cpuMs) {
		System.out.printf(Locale.ROOT,
				"minute %2d: created %d, POST p99 %s ms, created -> assigned p99 %s ms (minute %d), heap after GC %d MiB, "
						+ "CPU per ticket %.1f ms, surveys answered %d, failures %s%n  rows %s%n",
				minute + 1, created.get(), p99(postMillis.get(minute)), p99(assignedMillis.get(minute - 1)), minute,
				heapKb / 1024, cpuMs, surveysAnswered.get(), failures, rows);
	}

	private void summary(List<Map<String, Long>> rows, List<Long> heap, List<Double> cpu) {
		var half = rows.size() / 2;
		var last = rows.size() - 1;
		System.out.printf("%n=== Soak: %d tickets/s for %d min; second half = minutes %d to %d ===%n", rate, minutes,
				half + 1, last + 1);
		System.out.println("| figure | minute " + (half + 1) + " | minute " + (last + 1) + " | highest, second half | |");
		System.out.println("| --- | --- | --- | --- | --- |");
		var figures = new LinkedHashMap<String, List<Double>>();
		for (var table : rows.get(last).keySet()) {
			figures.put("rows " + table, rows.stream().map(r -> (double) r.getOrDefault(table, 0L)).toList());
		}
		figures.put("heap after GC (MiB)", heap.stream().map(kb -> kb / 1024.0).toList());
		figures.put("CPU per ticket (ms)", cpu);
		var post = new ArrayList<Double>();
		var assigned = new ArrayList<Double>();
		for (int m = 0; m < rows.size(); m++) {
			post.add(parse(p99(postMillis.get(m))));
			assigned.add(parse(p99(assignedMillis.get(m))));
		}
		figures.put("POST p99 (ms)", post);
		figures.put("created -> assigned p99 (ms)", assigned);
		figures.forEach((name, values) -> {
			var secondHalf = values.subList(half, values.size());
			var highest = secondHalf.stream().mapToDouble(Double::doubleValue).max().orElse(0);
			var table = name.startsWith("rows ") ? name.substring(5) : null;
			var note = table != null && MERCHANT_DATA.contains(table) ? "merchants' data" : "";
			System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s |%n", name, values.get(half), values.get(last),
					highest, note);
		});
		System.out.printf("created %d, surveys answered %d, failures %s%n", created.get(), surveysAnswered.get(), failures);
	}

	private static String p99(ConcurrentLinkedQueue<Double> values) {
		if (values == null || values.isEmpty()) {
			return "-";
		}
		var sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return "%.0f".formatted(sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)]);
	}

	private static double parse(String millis) {
		return "-".equals(millis) ? Double.NaN : Double.parseDouble(millis);
	}

	private static String id(TestApi.Response response) {
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
		return response.body().get("id").asText();
	}

	private static JsonNode read(HttpResponse<String> response) {
		try {
			return JSON.readTree(response.body());
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String run(String... command) {
		try {
			var process = new ProcessBuilder(command).redirectErrorStream(true).start();
			var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return output;
		}
		catch (IOException e) {
			return "";
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return runnable -> {
			var thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}
}
