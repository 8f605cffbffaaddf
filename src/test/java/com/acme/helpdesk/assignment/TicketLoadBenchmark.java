package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.acme.helpdesk.HelpdeskApplication;
import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.HelpdeskProcess;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * The workload of issue 15, driven from outside against the service in a JVM of its own (the main classes and their
 * dependencies, no test classes; JIT and heap as {@code java -jar} has them unless {@code -Dbench.jvm-options} says
 * otherwise): one merchant with 3 {@code LOAD_BALANCED} categories, 10 {@code ONLINE} agents (capacity 10,000) spread
 * over them, 5 tags, an SLA policy for every priority (PT1H / PT8H), notification mail to a GreenMail SMTP server of
 * this JVM, and one STOMP client subscribed to {@code /topic/observation/helpdesk/{merchantId}} throughout. Each ticket
 * has 1 or 2 tags, a small {@code context}, one of 1,000 requesters, priority {@code MEDIUM} and a category.
 * <p>
 * Warm-up: {@code -Dbench.warmup-rounds} (6) closed-loop rounds of {@code -Dbench.warmup} (1,500) tickets, more with
 * {@code -Dbench.jit-settled} (until the JIT compilers take less than that share of the service's CPU). Then
 * {@code -Dbench.mode=closed} (default): {@code -Dbench.clients} (16) threads create {@code -Dbench.tickets} (5,000)
 * tickets as fast as they can; or {@code -Dbench.mode=paced}: {@code -Dbench.rate} tickets per second (100) for
 * {@code -Dbench.seconds} (60), open loop (sent at fixed times whatever the answers; latency counted from the
 * scheduled time). A ticket is fully processed when it is assigned and enriched, both its SLA clocks run, no job is
 * left to run and no event publication is incomplete; created -> assigned is from sending its POST to receiving its
 * {@code ticket.assigned} frame. Not part of the suite (named *Benchmark); see docs/benchmarks.md for the commands.
 */
class TicketLoadBenchmark {

	static final int CATEGORIES = 3;
	static final int AGENTS = 10;
	static final int TAGS = 5;
	static final int REQUESTERS = 1000;
	static final int AGENT_CAPACITY = 10_000;
	/** Waiting for the frames and mails of a round gives up after this long without progress (then the DB decides). */
	static final Duration STALLED = Duration.ofSeconds(1);
	static final Duration ROUND_LIMIT = Duration.ofMinutes(15);

	static final ObjectMapper JSON = new ObjectMapper();

	final String mode = System.getProperty("bench.mode", "closed");
	final int warmupRounds = Integer.getInteger("bench.warmup-rounds", 6);
	/**
	 * With {@code -Dbench.jit-settled} (e.g. 0.03), warm-up goes on after {@code bench.warmup-rounds} until a round
	 * has the JIT compilers under that share of the service's CPU, at most {@code -Dbench.warmup-max-rounds} (30) in
	 * all: figures of a settled JIT, comparable from run to run. Without it, exactly {@code bench.warmup-rounds}.
	 */
	final double jitSettled = Double.parseDouble(System.getProperty("bench.jit-settled", "1"));
	final int warmupMaxRounds = Integer.getInteger("bench.warmup-max-rounds", 30);
	int warmupRoundsRun;
	final int warmup = Integer.getInteger("bench.warmup", 1500);
	final int tickets = Integer.getInteger("bench.tickets", 5000);
	final int clients = Integer.getInteger("bench.clients", 16);
	final int rate = Integer.getInteger("bench.rate", 100);
	final int seconds = Integer.getInteger("bench.seconds", 60);
	final String javaCommand = System.getProperty("bench.java", ProcessHandle.current().info().command().orElse("java"));
	final List<String> jvmOptions = Arrays.stream(System.getProperty("bench.jvm-options", "").trim().split("\\s+"))
		.filter(option -> !option.isEmpty())
		.toList();
	/**
	 * With {@code -Dbench.classes-jar}, the service's classes run from a jar of {@code target/classes} instead of the
	 * directory: the JDK's AOT cache ({@code -XX:AOTMode=record}, {@code -XX:AOTCache}) takes classes from jars only.
	 */
	final boolean classesJar = Boolean.getBoolean("bench.classes-jar");

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	final Random random = new Random(15);
	/** ticket id -> when its {@code ticket.assigned} frame arrived ({@link System#nanoTime()}). */
	final Map<String, Long> assignedFrames = new ConcurrentHashMap<>();
	final AtomicInteger framesReceived = new AtomicInteger();

	GreenMail smtp;
	HelpdeskProcess app;
	JdbcClient jdbc;
	long pollerBackend;
	String database;
	Workload workload;
	/** The highest ticket number of the rounds before: the next round's tickets have higher ones. */
	long lastNumber;
	long deadLettersBefore;

	/** The service's class path: {@link HelpdeskProcess#mainClassPath()}, its classes directory as a jar if asked. */
	String serviceClassPath() throws IOException {
		var classPath = HelpdeskProcess.mainClassPath();
		if (!classesJar) {
			return classPath;
		}
		var classes = Path.of("target/classes").toAbsolutePath();
		var jar = Path.of("target/bench-service-classes.jar").toAbsolutePath();
		var written = Path.of("target/bench-service-classes.jar.new").toAbsolutePath();
		try (var out = new JarOutputStream(Files.newOutputStream(written));
				var files = Files.walk(classes)) {
			// directories too: a class loader finds a folder of resources (Flyway's db/migration) by its entry
			for (var file : files.filter(file -> !file.equals(classes)).sorted().toList()) {
				var directory = Files.isDirectory(file);
				var name = classes.relativize(file).toString().replace(File.separatorChar, '/');
				var entry = new JarEntry(directory ? name + "/" : name);
				entry.setTime(0);
				out.putNextEntry(entry);
				if (!directory) {
					Files.copy(file, out);
				}
				out.closeEntry();
			}
		}
		// the same classes keep the jar as it is: an AOT cache is refused for a jar changed (or only touched) since
		if (Files.exists(jar) && Files.mismatch(jar, written) == -1) {
			Files.delete(written);
		}
		else {
			Files.move(written, jar, StandardCopyOption.REPLACE_EXISTING);
		}
		return Arrays.stream(classPath.split(File.pathSeparator))
			.map(entry -> Path.of(entry).toAbsolutePath().equals(classes) ? jar.toString() : entry)
			.collect(Collectors.joining(File.pathSeparator));
	}

	record Workload(String merchantId, String adminKey, List<String> categories, List<String> tags) {
	}

	@Test
	void ticketLoad() throws Exception {
		assertThat(mode).as("bench.mode").isIn("closed", "paced");
		// no Spring Boot here to configure logging: without this, logback logs every mail GreenMail receives
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		smtp.start();
		var url = TestDatabase.url();
		database = url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
		try (var process = HelpdeskProcess.start(javaCommand, jvmOptions, serviceClassPath(),
				HelpdeskApplication.class.getName(), "ticket-load-benchmark", url, TestDatabase.user(),
				TestDatabase.password(), "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtp.getSmtp().getPort());
				var poller = new SingleConnectionDataSource(url, TestDatabase.user(), TestDatabase.password(), true)) {
			app = process;
			jdbc = JdbcClient.create(poller);
			pollerBackend = jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
			workload = workload(new TestApi(app.port()));
			try (var live = LiveClient.connect(app.port(), workload.adminKey())) {
				assertThat(live.subscribe("/topic/observation/helpdesk/" + workload.merchantId())).as("subscribed").isTrue();
				var drain = new Thread(() -> drainFrames(live), "bench-frames");
				drain.setDaemon(true);
				drain.start();
				run();
				drain.interrupt();
			}
		}
		finally {
			smtp.stop();
			TestDatabase.drop();
		}
	}

	private void run() throws Exception {
		var maxRounds = jitSettled < 1 ? Math.max(warmupRounds, warmupMaxRounds) : warmupRounds;
		for (int i = 1; i <= maxRounds && warmup > 0; i++) {
			var round = closed(warmup);
			warmupRoundsRun = i;
			System.out.printf("warm-up round %d of %s: %s%n", i,
					jitSettled < 1 ? "%d or more (until the JIT compilers take under %.0f%%)".formatted(warmupRounds,
							100 * jitSettled) : String.valueOf(warmupRounds),
					round.brief());
			if (i >= warmupRounds && round.cpu.compilerShare() < jitSettled) {
				break;
			}
		}
		var round = "paced".equals(mode) ? paced() : closed(tickets);
		var cpu = round.cpu;
		var processed = round.created();
		var latencies = round.assignedLatenciesMillis();
		var responses = round.responseMillis();
		var knobs = new LinkedHashMap<String, Object>();
		knobs.put("bench.mode", mode);
		knobs.put("bench.warmup-rounds", warmupRounds);
		if (jitSettled < 1) {
			knobs.put("bench.jit-settled", jitSettled);
			knobs.put("warm-up rounds run", warmupRoundsRun);
		}
		knobs.put("bench.warmup", warmup);
		if ("paced".equals(mode)) {
			knobs.put("bench.rate", rate);
			knobs.put("bench.seconds", seconds);
		}
		else {
			knobs.put("bench.tickets", tickets);
			knobs.put("bench.clients", clients);
		}
		knobs.put("bench.java", javaCommand);
		knobs.put("bench.jvm-options", String.join(" ", jvmOptions));
		knobs.put("bench.classes-jar", String.valueOf(classesJar));
		var jvmMs = cpu.jvmNanos() / 1e6 / Math.max(1, processed);
		var postgresMs = round.postgresNanos / 1e6 / Math.max(1, processed);
		var ownBackendsMs = round.ownBackendsNanos / 1e6 / Math.max(1, processed);
		System.out.printf("""

				=== Ticket load benchmark (issue 15's workload), mode %s ===
				knobs              %s
				service            its own JVM (pid %d, log %s): %s
				workload           1 merchant, %d LOAD_BALANCED categories, %d ONLINE agents (capacity %d), %d tags, SLA PT1H/PT8H for every priority, mail to GreenMail, 1 STOMP subscriber
				tickets            %d sent, %d created (201), %d failed
				""", mode, knobs, app.pid(), app.log(), javaVersion(), CATEGORIES, AGENTS, AGENT_CAPACITY, TAGS,
				round.sent, processed, round.failures.get());
		if (round.pacing != null) {
			var p = round.pacing;
			System.out.printf("""
					pacing             target %d/s for %d s; sent at %.1f/s (the sender was at most %.0f ms late); created at %.1f/s
					                   created -> assigned p50 by tenth of the run (ms): %s
					                   %s
					""", rate, seconds, p.sentPerSecond, p.maxSendLagMillis, p.createdPerSecond, p.p50ByTenth,
					p.fellBehind ? "FELL BEHIND: " + p.why : "kept up: " + p.why);
		}
		System.out.printf("""
				created in         %.1f s (%.1f tickets created per second)
				fully processed in %.1f s (%.1f tickets fully processed per second): assigned, enriched, 2 clocks running, no job left, no incomplete publication
				checks             %d ticket.assigned frames of %d, %d mails of %d, %d new dead letters, %d jobs FAILED
				created -> assigned (POST sent to ticket.assigned frame) p50 %s, p90 %s, p99 %s, max %s ms
				POST answered      p50 %s, p99 %s, max %s ms
				assignment         %s
				CPU per ticket     JVM %.2f ms + PostgreSQL %.2f ms = %.2f ms (PostgreSQL: all its processes, the benchmark's polls taken out; the bench database's backends alone %.2f ms)
				load driver        %.2f ms per ticket in this JVM (HTTP and STOMP clients, SMTP server), not counted above
				service's threads  %s
				JIT                compiler threads %.0f%% of the service's CPU
				load average       %s
				PostgreSQL         autovacuum %s
				CPU reference      SHA-256 of 256 MB on one thread: %.0f ms before, %.0f ms after (this VM's speed varies with its host)
				%n""", round.createdSeconds, processed / round.createdSeconds, round.processedSeconds,
				processed / round.processedSeconds, latencies.length, processed, round.mails, processed, round.deadLetters,
				round.failedJobs, percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
				percentile(latencies, 100), percentile(responses, 50), percentile(responses, 99),
				percentile(responses, 100), round.assignmentPhases(), jvmMs, postgresMs, jvmMs + postgresMs, ownBackendsMs,
				round.driverNanos / 1e6 / Math.max(1, processed), cpu.busiestThreads(8), 100 * cpu.compilerShare(),
				CpuUsage.loadAverage(), jdbc.sql("SHOW autovacuum").query(String.class).single(), round.referenceBefore,
				round.referenceAfter);
		System.out.printf(Locale.ROOT,
				"RESULT mode=%s%s warmupRounds=%d tickets=%d created=%.1f/s processed=%.1f/s p50=%s p90=%s p99=%s max=%s jvmMsPerTicket=%.2f "
						+ "pgMsPerTicket=%.2f cpuMsPerTicket=%.2f pgOwnBackendsMsPerTicket=%.2f failures=%d missingFrames=%d "
						+ "deadLetters=%d%s reference=%.0f/%.0f%n",
				mode, "paced".equals(mode) ? " rate=" + rate + " seconds=" + seconds : " clients=" + clients,
				warmupRoundsRun, processed,
				processed / round.createdSeconds, processed / round.processedSeconds, percentile(latencies, 50),
				percentile(latencies, 90), percentile(latencies, 99), percentile(latencies, 100), jvmMs, postgresMs,
				jvmMs + postgresMs, ownBackendsMs, round.failures.get(), processed - latencies.length, round.deadLetters,
				round.pacing == null ? "" : " fellBehind=" + round.pacing.fellBehind, round.referenceBefore,
				round.referenceAfter);
		assertThat(round.failures.get()).as("failed POSTs").isZero();
		assertThat(round.deadLetters).as("dead letters").isZero();
	}

	/** One round: what was sent and when, and, once it is fully processed, its figures. */
	final class Round {

		final long firstNumber = lastNumber;
		final Map<String, Long> sentAt = new ConcurrentHashMap<>();
		final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
		final ConcurrentLinkedQueue<Long> responseNanos = new ConcurrentLinkedQueue<>();
		final AtomicInteger failures = new AtomicInteger();
		final AtomicLong maxNumber = new AtomicLong(lastNumber);
		int sent;
		double createdSeconds;
		double processedSeconds;
		CpuUsage cpu;
		long postgresNanos;
		long ownBackendsNanos;
		long driverNanos;
		double referenceBefore;
		double referenceAfter;
		int mails;
		long deadLetters;
		long failedJobs;
		Pacing pacing;

		private long started;
		private long lastJobCount;
		private CpuUsage cpuBefore;
		private long pollerBefore;
		private long ownBackendsBefore;
		private long driverBefore;

		Round() {
			try {
				smtp.purgeEmailFromAllMailboxes();
			}
			catch (com.icegreen.greenmail.store.FolderException e) {
				throw new IllegalStateException(e);
			}
			referenceBefore = CpuUsage.referenceMillis();
			cpuBefore = CpuUsage.ofProcess(app.pid());
			pollerBefore = pollerCpuNanos();
			ownBackendsBefore = CpuUsage.postgresBackendsCpuNanos(database);
			driverBefore = CpuUsage.processCpuNanos(ProcessHandle.current().pid());
			started = System.nanoTime();
		}

		long started() {
			return started;
		}

		int created() {
			return sentAt.size();
		}

		/** POSTs {@code index}'s ticket; {@code start} is when it was sent or, paced, when it was due. */
		void send(int index, long start) {
			try {
				var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/api/v1/tickets"))
					.header("Authorization", "Bearer " + workload.adminKey())
					.header("Content-Type", "application/json")
					.timeout(Duration.ofMinutes(2))
					.POST(HttpRequest.BodyPublishers.ofString(ticket(index)))
					.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
				responseNanos.add(System.nanoTime() - start);
				if (response.statusCode() != 201) {
					failures.incrementAndGet();
					return;
				}
				var body = JSON.readTree(response.body());
				sentAt.put(body.get("id").asText(), start);
				answeredAt.put(body.get("id").asText(), System.nanoTime());
				maxNumber.accumulateAndGet(body.get("number").asLong(), Math::max);
			}
			catch (IOException | RuntimeException e) {
				failures.incrementAndGet();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				failures.incrementAndGet();
			}
		}

		/** Waits until every ticket created in this round is fully processed, then takes the figures. */
		void awaitFullyProcessed() {
			createdSeconds = (System.nanoTime() - started) / 1e9;
			var created = created();
			var deadline = System.nanoTime() + ROUND_LIMIT.toNanos();
			// first on what this JVM sees (frames, mails: no load on PostgreSQL), then on the database, which decides
			int progress = -1;
			var lastProgress = System.nanoTime();
			while (System.nanoTime() - lastProgress < STALLED.toNanos()) {
				var now = framesOf(this) + smtp.getReceivedMessages().length;
				if (now >= 2 * created) {
					break;
				}
				if (now != progress) {
					progress = now;
					lastProgress = System.nanoTime();
				}
				sleep(100);
			}
			lastJobCount = System.nanoTime() - 1_000_000_000L;
			while (!fullyProcessed(created)) {
				assertThat(System.nanoTime()).as("fully processed within " + ROUND_LIMIT).isLessThan(deadline);
				sleep(200);
			}
			processedSeconds = (System.nanoTime() - started) / 1e9;
			cpu = CpuUsage.ofProcess(app.pid()).since(cpuBefore);
			var poller = pollerCpuNanos() - pollerBefore;
			postgresNanos = cpu.postgresNanos() - poller;
			ownBackendsNanos = CpuUsage.postgresBackendsCpuNanos(database) - ownBackendsBefore - poller;
			driverNanos = CpuUsage.processCpuNanos(ProcessHandle.current().pid()) - driverBefore;
			referenceAfter = CpuUsage.referenceMillis();
			mails = smtp.getReceivedMessages().length;
			var deadLettersNow = jdbc.sql("SELECT count(*) FROM job_dead_letter").query(Long.class).single();
			deadLetters = deadLettersNow - deadLettersBefore;
			deadLettersBefore = deadLettersNow;
			failedJobs = jdbc.sql("SELECT count(*) FROM jobrunr_jobs WHERE state = 'FAILED'").query(Long.class).single();
			lastNumber = maxNumber.get();
		}

		/**
		 * Assigned and enriched, then (counted once those are) with both clocks running, then no job of any ticket
		 * left to run (the service has no other work meanwhile) and no incomplete event publication. The job and
		 * publication counts scan their tables, so they come last.
		 */
		private boolean fullyProcessed(int created) {
			var assignedAndEnriched = jdbc.sql("""
					SELECT count(*) FROM ticket
					WHERE merchant_id = ?::uuid AND number > ? AND assignee_id IS NOT NULL AND enrichment IS NOT NULL""")
				.params(workload.merchantId(), firstNumber)
				.query(Long.class)
				.single();
			if (assignedAndEnriched < created) {
				return false;
			}
			var runningClocks = jdbc.sql("""
					SELECT count(*) FROM ticket t JOIN sla_clock c ON c.ticket_id = t.id
					WHERE t.merchant_id = ?::uuid AND t.number > ? AND c.state = 'RUNNING'""")
				.params(workload.merchantId(), firstNumber)
				.query(Long.class)
				.single();
			if (runningClocks < 2L * created) {
				return false;
			}
			// the job count reads the whole job table: while mails are still coming, once a second is enough
			if (smtp.getReceivedMessages().length < created && System.nanoTime() - lastJobCount < 1_000_000_000L) {
				return false;
			}
			lastJobCount = System.nanoTime();
			return nothingLeftToRun();
		}

		double[] assignedLatenciesMillis() {
			return sentAt.entrySet()
				.stream()
				.filter(e -> assignedFrames.containsKey(e.getKey()))
				.mapToDouble(e -> (assignedFrames.get(e.getKey()) - e.getValue()) / 1e6)
				.sorted()
				.toArray();
		}

		/**
		 * How assignment kept up: the tickets whose {@code ticket.assigned} frame came while tickets were still being
		 * created (until the last POST was answered), and the rate at which the rest came after that.
		 */
		String assignmentPhases() {
			var creationEnd = answeredAt.values().stream().mapToLong(Long::longValue).max().orElse(0);
			var frames = sentAt.keySet().stream().map(assignedFrames::get).filter(java.util.Objects::nonNull).toList();
			var during = frames.stream().filter(at -> at <= creationEnd).count();
			var after = frames.size() - during;
			var lastFrame = frames.stream().mapToLong(Long::longValue).max().orElse(creationEnd);
			var tailSeconds = Math.max(0, lastFrame - creationEnd) / 1e9;
			return "%d of %d assigned while tickets were being created; the other %d in the %.1f s after (%s/s)".formatted(
					during, frames.size(), after, tailSeconds,
					tailSeconds == 0 ? "-" : "%.0f".formatted(after / tailSeconds));
		}

		double[] responseMillis() {
			return responseNanos.stream().mapToDouble(nanos -> nanos / 1e6).sorted().toArray();
		}

		String brief() {
			return ("%d tickets, %.0f created/s, %.0f fully processed/s, CPU per ticket JVM %.2f + PostgreSQL %.2f ms, "
					+ "created -> assigned p50 %s p99 %s ms, JIT compilers %.0f%% of the service's CPU").formatted(created(),
							created() / createdSeconds, created() / processedSeconds, cpu.jvmNanos() / 1e6 / created(),
							postgresNanos / 1e6 / created(), percentile(assignedLatenciesMillis(), 50),
							percentile(assignedLatenciesMillis(), 99), 100 * cpu.compilerShare());
		}
	}

	record Pacing(double sentPerSecond, double maxSendLagMillis, double createdPerSecond, String p50ByTenth,
			boolean fellBehind, String why) {
	}

	/** {@code count} tickets from {@code -Dbench.clients} threads, each sending its next as soon as one is answered. */
	private Round closed(int count) throws InterruptedException {
		var round = new Round();
		var next = new AtomicInteger();
		var done = new CountDownLatch(clients);
		for (int c = 0; c < clients; c++) {
			new Thread(() -> {
				int i;
				while ((i = next.getAndIncrement()) < count) {
					round.send(i, System.nanoTime());
				}
				done.countDown();
			}, "bench-client-" + c).start();
		}
		done.await();
		round.sent = count;
		round.awaitFullyProcessed();
		writeTimeline(round);
		return round;
	}

	/**
	 * {@code -Dbench.rate} tickets a second for {@code -Dbench.seconds}, each handed to a pool of senders at its due
	 * time whatever the earlier ones' answers (open loop): a slow answer delays no other send, and a ticket's latency
	 * counts from when it was due, so time the sender lost is not left out.
	 */
	private Round paced() throws InterruptedException {
		var total = rate * seconds;
		var interval = 1_000_000_000L / rate;
		ExecutorService senders = Executors.newFixedThreadPool(Math.max(32, Math.min(256, rate * 2)), runnable -> {
			var thread = new Thread(runnable, "bench-sender");
			thread.setDaemon(true);
			return thread;
		});
		var round = new Round();
		var first = round.started() + TimeUnit.MILLISECONDS.toNanos(100);
		long maxLag = 0;
		for (int i = 0; i < total; i++) {
			var due = first + i * interval;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			maxLag = Math.max(maxLag, System.nanoTime() - due);
			var index = i;
			senders.execute(() -> round.send(index, due));
		}
		var sentFor = (System.nanoTime() - first) / 1e9;
		senders.shutdown();
		assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).as("every POST answered").isTrue();
		var answeredFor = (System.nanoTime() - first) / 1e9;
		round.sent = total;
		round.awaitFullyProcessed();

		// created -> assigned by tenth of the run (by due time): a service that keeps up shows no trend
		var tenths = new ArrayList<List<Double>>();
		for (int t = 0; t < 10; t++) {
			tenths.add(new ArrayList<>());
		}
		round.sentAt.forEach((ticket, due) -> {
			var assigned = assignedFrames.get(ticket);
			if (assigned != null) {
				var tenth = (int) Math.min(9, Math.max(0, (due - first) * 10 / (total * interval)));
				tenths.get(tenth).add((assigned - due) / 1e6);
			}
		});
		var p50s = tenths.stream()
			.map(values -> values.stream().mapToDouble(Double::doubleValue).sorted().toArray())
			.map(values -> percentile(values, 50))
			.toList();
		var drainSeconds = round.processedSeconds - (first - round.started()) / 1e9 - seconds;
		var createdPerSecond = round.created() / answeredFor;
		var why = new ArrayList<String>();
		if (createdPerSecond < 0.95 * rate) {
			why.add("created at %.1f/s, under 95%% of %d/s".formatted(createdPerSecond, rate));
		}
		if (maxLag > TimeUnit.SECONDS.toNanos(1)) {
			why.add("the sender itself was %.1f s late (the load driver lacked CPU)".formatted(maxLag / 1e9));
		}
		var early = Math.min(parse(p50s.get(0)), parse(p50s.get(1)));
		var last = parse(p50s.get(9));
		if (last > 1000 && last > 2 * early) {
			why.add("created -> assigned p50 grew from %.0f ms (first two tenths) to %.0f ms (last)".formatted(early, last));
		}
		if (drainSeconds > 5) {
			why.add("fully processed %.1f s after the last send".formatted(drainSeconds));
		}
		var fellBehind = !why.isEmpty();
		if (!fellBehind) {
			why.add("fully processed %.1f s after the last send, no growing latency".formatted(Math.max(0, drainSeconds)));
		}
		writeTimeline(round);
		round.pacing = new Pacing(total / sentFor, maxLag / 1e6, createdPerSecond, String.join(" ", p50s), fellBehind,
				String.join("; ", why));
		return round;
	}

	/**
	 * With {@code -Dbench.timeline=<file>}, one CSV line per ticket of the measured round: when it was due or sent (epoch ms, to
	 * line up with the service's log, JFR or database samples), its POST's answer and its {@code ticket.assigned} frame
	 * (ms after due; empty when missing).
	 */
	private void writeTimeline(Round round) {
		var file = System.getProperty("bench.timeline");
		if (file == null) {
			return;
		}
		var epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
		var lines = new ArrayList<String>();
		lines.add("due_epoch_ms,answered_ms,assigned_ms");
		round.sentAt.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
			var due = e.getValue();
			var answered = round.answeredAt.get(e.getKey());
			var assigned = assignedFrames.get(e.getKey());
			lines.add("%d,%s,%s".formatted((due + epochOffsetNanos) / 1_000_000L,
					answered == null ? "" : "%.1f".formatted((answered - due) / 1e6),
					assigned == null ? "" : "%.1f".formatted((assigned - due) / 1e6)));
		});
		try {
			Files.write(Path.of(file), lines);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The merchant of the whole run, with its categories, agents, tags and SLA policies. */
	private static Workload workload(TestApi api) {
		var merchant = api.newMerchant();
		var key = merchant.adminKey();
		var categories = new ArrayList<String>();
		for (int i = 0; i < CATEGORIES; i++) {
			categories.add(created(api.post("/api/v1/categories", key,
					Map.of("name", "Category " + i, "routing", Map.of("strategy", "LOAD_BALANCED")))));
		}
		for (int i = 0; i < AGENTS; i++) {
			created(api.post("/api/v1/agents", key, Map.of("name", "Agent " + i, "email", "agent" + i + "@bench.example",
					"capacity", AGENT_CAPACITY, "availability", "ONLINE", "categoryIds", List.of(categories.get(i % CATEGORIES)))));
		}
		var tags = new ArrayList<String>();
		for (int i = 0; i < TAGS; i++) {
			tags.add(created(api.post("/api/v1/tags", key, Map.of("name", "tag-" + i))));
		}
		for (var priority : List.of("LOW", "MEDIUM", "HIGH", "URGENT")) {
			var policy = api.put("/api/v1/sla-policies/" + priority, key, Map.of("firstResponse", "PT1H", "resolution", "PT8H"));
			assertThat(policy.status()).as("SLA policy " + priority + ": " + policy.body()).isEqualTo(200);
		}
		return new Workload(merchant.id().toString(), key, categories, tags);
	}

	private static String created(TestApi.Response response) {
		assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
		return response.body().get("id").asText();
	}

	/** The ticket of {@code index}: 1 or 2 tags, a small context, one of 1,000 requesters, MEDIUM, a category. */
	private String ticket(int index) {
		int requester;
		int category;
		int tag;
		int otherTag;
		boolean twoTags;
		synchronized (random) {
			requester = random.nextInt(REQUESTERS);
			category = random.nextInt(CATEGORIES);
			tag = random.nextInt(TAGS);
			otherTag = (tag + 1 + random.nextInt(TAGS - 1)) % TAGS;
			twoTags = random.nextBoolean();
		}
		var tagIds = twoTags ? "\"%s\",\"%s\"".formatted(workload.tags().get(tag), workload.tags().get(otherTag))
				: "\"%s\"".formatted(workload.tags().get(tag));
		return """
				{"subject":"Order %d arrived damaged","description":"The parcel was open.",
				 "requester":{"email":"customer%d@bench.example","name":"Customer %d"},"categoryId":"%s","priority":"MEDIUM",
				 "tagIds":[%s],"context":{"orderId":%d,"channel":"web","locale":"de-DE","cartValue":%d.90}}""".formatted(index,
				requester, requester, workload.categories().get(category), tagIds, 100_000 + index, 10 + index % 90);
	}

	private void drainFrames(LiveClient live) {
		while (!Thread.currentThread().isInterrupted()) {
			var frame = live.nextFrame(500);
			if (frame != null && "ticket.assigned".equals(frame.event())
					&& assignedFrames.putIfAbsent(frame.envelope().path("ticketId").asText(), frame.receivedAt()) == null) {
				framesReceived.incrementAndGet();
			}
		}
	}

	private int framesOf(Round round) {
		return (int) round.sentAt.keySet().stream().filter(assignedFrames::containsKey).count();
	}

	/** No job but recurring ones' runs left to run, and no incomplete event publication. */
	private boolean nothingLeftToRun() {
		return jdbc.sql("""
				SELECT (SELECT count(*) FROM jobrunr_jobs
				        WHERE state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING') AND recurringJobId IS NULL)
				     + CASE WHEN to_regclass('event_publication') IS NULL THEN 0
				            ELSE (SELECT count(*) FROM event_publication WHERE completion_date IS NULL) END""")
			.query(Long.class)
			.single() == 0;
	}

	private long pollerCpuNanos() {
		return CpuUsage.processCpuNanos(pollerBackend);
	}

	private String javaVersion() {
		try {
			var process = new ProcessBuilder(javaCommand, "-version").redirectErrorStream(true).start();
			var lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
			process.waitFor();
			return lines.stream().map(String::trim).collect(Collectors.joining("; ")) + (jvmOptions.isEmpty()
					? ", JVM defaults" : ", options " + String.join(" ", jvmOptions));
		}
		catch (IOException e) {
			return "unknown (" + e.getMessage() + ")";
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	/** Nearest-rank percentile of sorted values, in whole milliseconds ("-" when there are none). */
	static String percentile(double[] sorted, int percent) {
		if (sorted.length == 0) {
			return "-";
		}
		var rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return "%.0f".formatted(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
	}

	private static double parse(String millis) {
		return "-".equals(millis) ? 0 : Double.parseDouble(millis);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
