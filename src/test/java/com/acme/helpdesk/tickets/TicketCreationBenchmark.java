package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.CpuUsage;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Creates tickets over HTTP from concurrent clients and prints throughput and latency. Not part of the
 * test suite (surefire runs {@code *Tests}); run it with
 * {@code ./mvnw -B test -Dtest=TicketCreationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Knobs: {@code -Dbench.clients=16 -Dbench.seconds=20 -Dbench.warmup=5}, and {@code -Dbench.warmup-rounds=1}: warm-up
 * rounds of {@code bench.warmup} seconds repeat, up to that many, until the JIT compilers take less than a tenth of
 * the JVM's CPU in one.
 */
@HelpdeskTest
class TicketCreationBenchmark {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	/**
	 * Warm-up rounds (up to {@code -Dbench.warmup-rounds}) end once the JIT compilers take less of the JVM than this
	 * share ({@code -Dbench.jit-settled}; 0.03 waits until they are nearly done, which paired runs need).
	 */
	static final double JIT_SETTLED = Double.parseDouble(System.getProperty("bench.jit-settled", "0.10"));

	@Test
	void createTicketsFromConcurrentClients() throws Exception {
		var clients = Integer.getInteger("bench.clients", 16);
		var seconds = Integer.getInteger("bench.seconds", 20);
		var warmup = Integer.getInteger("bench.warmup", 5);

		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Bench", "routing", Map.of("strategy", "MANUAL"))).body().get("id").asText();
		var tags = List.of(api.post("/api/v1/tags", merchant.adminKey(), Map.of("name", "t1")).body().get("id").asText(),
				api.post("/api/v1/tags", merchant.adminKey(), Map.of("name", "t2")).body().get("id").asText());

		var server = URI.create(api.baseUrl());
		var sequence = new AtomicInteger();
		var failures = new AtomicInteger();

		CpuUsage.referenceMillis();
		var referenceBefore = CpuUsage.referenceMillis();
		var maxWarmupRounds = Integer.getInteger("bench.warmup-rounds", 1);
		for (int i = 1; i <= maxWarmupRounds; i++) {
			var warmupStarted = CpuUsage.now();
			var createdBefore = sequence.get();
			run(server, merchant.adminKey(), category, tags, clients, warmup, sequence, failures, null);
			var warmupCpu = CpuUsage.now().since(warmupStarted);
			System.out.printf("warm-up round %d: %.0f tickets/s (not counted); %s%n", i,
					(sequence.get() - createdBefore) / (double) warmup, warmupCpu.jit());
			if (warmupCpu.compilerShare() < JIT_SETTLED) {
				break;
			}
		}
		var latencies = new ArrayList<long[]>();
		var started = System.nanoTime();
		var cpuBefore = CpuUsage.now();
		run(server, merchant.adminKey(), category, tags, clients, seconds, sequence, failures, latencies);
		var elapsed = (System.nanoTime() - started) / 1e9;
		var cpu = CpuUsage.now().since(cpuBefore);

		var all = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l > 0).sorted().toArray();
		var created = sequence.get();
		Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> incomplete() == 0);
		var referenceAfter = CpuUsage.referenceMillis();
		var publicationsPerListener = jdbc
			.sql("SELECT listener_id, count(*) FROM event_publication WHERE serialized_event LIKE ? GROUP BY listener_id")
			.param("%\"merchantId\":\"" + merchant.id() + "\"%")
			.query((row, n) -> Map.entry(row.getString(1), row.getLong(2)))
			.list();
		var publications = publicationsPerListener.stream().mapToLong(Map.Entry::getValue).sum();
		var tickets = jdbc.sql("SELECT count(*) FROM ticket WHERE merchant_id = ?").param(merchant.id()).query(Long.class).single();
		var counted = jdbc.sql("SELECT coalesce(sum(ticket_count), 0) FROM category_ticket_count WHERE category_id = ?::uuid").param(category).query(Long.class).single();

		System.out.printf("""

				=== Ticket creation benchmark ===
				clients            %d
				measured           %.1f s (after warm-up rounds of %d s)
				tickets created    %d in the measured window (%d failures)
				throughput         %.0f tickets/s
				latency p50        %.1f ms
				latency p90        %.1f ms
				latency p99        %.1f ms
				latency max        %.1f ms
				CPU per ticket     %.2f ms in this JVM (service and load generator), %.2f ms in PostgreSQL
				busiest threads    %s
				JIT                %s
				load average       %s (other work on the machine skews the figures above)
				CPU reference      SHA-256 of 256 MB on one thread: %.0f ms before, %.0f ms after the listeners finished (this VM's speed varies with its host)
				tickets in db      %d, publications %d (%d listeners of TicketCreated), category count %d
				%n""", clients, elapsed, warmup, all.length, failures.get(), all.length / elapsed, percentile(all, 50),
				percentile(all, 90), percentile(all, 99), all[all.length - 1] / 1e6, cpu.jvmNanos() / 1e6 / all.length,
				cpu.postgresNanos() / 1e6 / all.length, cpu.busiestThreads(8), cpu.jit(), CpuUsage.loadAverage(), referenceBefore, referenceAfter, tickets, publications, publicationsPerListener.size(), counted);

		assertThat(failures.get()).isZero();
		assertThat(publicationsPerListener).as("every ticket's publication, for each listener").isNotEmpty()
			.allSatisfy(perListener -> assertThat(perListener.getValue()).as(perListener.getKey()).isEqualTo(tickets));
		assertThat(counted).isEqualTo(tickets);
		assertThat(created).isPositive();
	}

	/**
	 * Each client keeps one HTTP/1.1 connection and writes its requests itself: the JDK's HTTP client took a sixth of
	 * this JVM's CPU, which the service under test shares.
	 */
	private void run(URI server, String key, String category, List<String> tags, int clients, int seconds,
			AtomicInteger sequence, AtomicInteger failures, List<long[]> latencies) throws InterruptedException {
		var deadline = System.nanoTime() + seconds * 1_000_000_000L;
		var done = new CountDownLatch(clients);
		for (int c = 0; c < clients; c++) {
			var samples = new long[400_000];
			if (latencies != null) {
				latencies.add(samples);
			}
			new Thread(() -> {
				int n = 0;
				try (var connection = new KeepAliveConnection(server)) {
					while (System.nanoTime() < deadline) {
						var i = sequence.incrementAndGet();
						var body = """
								{"subject":"Order %d did not arrive","description":"Where is my parcel?",
								 "requester":{"email":"customer%d@example.com","name":"Customer"},
								 "categoryId":"%s","priority":"HIGH","tagIds":["%s"],"context":{"orderId":"%d"}}"""
							.formatted(i, i % 1000, category, tags.get(i % 2), i);
						var start = System.nanoTime();
						if (connection.post("/api/v1/tickets", key, body) != 201) {
							failures.incrementAndGet();
						}
						if (n < samples.length) {
							samples[n++] = System.nanoTime() - start;
						}
					}
				}
				catch (IOException e) {
					failures.incrementAndGet();
				}
				done.countDown();
			}).start();
		}
		done.await();
	}

	/**
	 * A minimal HTTP/1.1 client: POSTs JSON on a kept-alive connection (a new one when the server closes it, as Tomcat
	 * does after 100 requests) and reads the status, skipping the body.
	 */
	private static final class KeepAliveConnection implements AutoCloseable {

		private final URI server;
		private final String host;
		private Socket socket;
		private OutputStream out;
		private InputStream in;

		KeepAliveConnection(URI server) {
			this.server = server;
			this.host = server.getHost() + ":" + server.getPort();
		}

		int post(String path, String bearer, String json) throws IOException {
			if (socket == null) {
				socket = new Socket(server.getHost(), server.getPort());
				socket.setTcpNoDelay(true);
				out = new BufferedOutputStream(socket.getOutputStream(), 4096);
				in = new BufferedInputStream(socket.getInputStream(), 8192);
			}
			var body = json.getBytes(StandardCharsets.UTF_8);
			out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + bearer
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
			out.flush();
			var status = Integer.parseInt(line().split(" ", 3)[1]);
			long length = -1;
			boolean chunked = false;
			boolean closing = false;
			for (var header = line(); !header.isEmpty(); header = line()) {
				var lower = header.toLowerCase(java.util.Locale.ROOT);
				if (lower.startsWith("connection:") && lower.contains("close")) {
					closing = true;
				}
				else if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
			}
			if (chunked) {
				for (var size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
					in.skipNBytes(size);
					line();
				}
				line();
			}
			else if (length > 0) {
				in.skipNBytes(length);
			}
			if (closing) {
				close();
			}
			return status;
		}

		private String line() throws IOException {
			var line = new StringBuilder();
			for (int b = in.read(); b != '\n'; b = in.read()) {
				if (b < 0) {
					throw new EOFException("connection closed");
				}
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

		@Override
		public void close() throws IOException {
			if (socket != null) {
				socket.close();
				socket = null;
			}
		}
	}

	private long incomplete() {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL").query(Long.class).single();
	}

	private static double percentile(long[] sorted, int p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
	}
}
