package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.LiveClient;
import com.acme.helpdesk.support.TestApi;

/**
 * Not a test (surefire skips *Benchmark): connects {@code helpdesk.benchmark.clients} (1,000) STOMP clients to one
 * ticket room and prints the delivery latency of one event to all of them, p50/p99/max, for a few rounds.
 * First phase: latency from the start of the HTTP request that changes the ticket's status (so it includes
 * the request, the commit, the after-commit listener and the fan-out) to each client's receipt of the frame.
 * Second phase: the fan-out alone, from the push of an event to the broker to each client's receipt.
 * Run: {@code ./mvnw -B test -Dtest=RoomFanOutBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@HelpdeskTest
class RoomFanOutBenchmark {

	@Autowired
	TestApi api;

	@Value("${local.server.port}")
	int port;

	@Value("${helpdesk.benchmark.clients:1000}")
	int clientCount;

	@Autowired
	LiveFanOut fanOut;

	@Test
	void oneEventToOneThousandClientsInOneRoom() throws Exception {
		var merchant = api.newMerchant();
		var ticketId = api.post("/api/v1/tickets", merchant.adminKey(),
				Map.of("subject", "Busy room", "description", "d", "requester", Map.of("email", "c@example.com")))
			.body()
			.get("id")
			.asText();
		var clients = new ArrayList<LiveClient>();
		var connecting = System.nanoTime();
		var pool = Executors.newFixedThreadPool(32);
		try {
			var tasks = new ArrayList<Callable<LiveClient>>();
			for (int i = 0; i < clientCount; i++) {
				tasks.add(() -> {
					var client = LiveClient.connect(port, merchant.adminKey());
					if (!client.subscribe("/topic/helpdesk/" + ticketId)) {
						throw new IllegalStateException("subscription not confirmed");
					}
					return client;
				});
			}
			for (var future : pool.invokeAll(tasks)) {
				clients.add(future.get());
			}
		}
		finally {
			pool.shutdown();
		}
		System.out.printf("BENCHMARK %d clients connected and subscribed in %d ms%n", clients.size(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connecting));

		var statuses = new ArrayList<String>();
		for (int i = 0; i < 10; i++) {
			statuses.add(i % 2 == 0 ? "IN_PROGRESS" : "PENDING");
		}
		var all = new ArrayList<Long>();
		for (int round = 0; round < statuses.size(); round++) {
			var start = System.nanoTime();
			var answer = api.post("/api/v1/tickets/" + ticketId + "/status", merchant.adminKey(),
					Map.of("status", statuses.get(round)));
			var answered = System.nanoTime();
			assertThat(answer.status()).isEqualTo(200);
			var latencies = new long[clients.size()];
			var afterAnswer = new long[clients.size()];
			for (int i = 0; i < clients.size(); i++) {
				var frame = clients.get(i).nextFrame("ticket.status_changed", 10_000);
				assertThat(frame).as("client %d got the event", i).isNotNull();
				latencies[i] = frame.receivedAt() - start;
				afterAnswer[i] = Math.max(0, frame.receivedAt() - answered);
			}
			Arrays.sort(latencies);
			Arrays.sort(afterAnswer);
			if (round > 0) { // the first round warms up
				Arrays.stream(latencies).forEach(all::add);
			}
			System.out.printf("BENCHMARK round %d: HTTP answered %d ms; delivered to %d clients: p50 %d ms, p99 %d ms, "
					+ "max %d ms (after the HTTP answer: p50 %d ms, p99 %d ms)%n", round, millis(answered - start),
					latencies.length, millis(percentile(latencies, 50)), millis(percentile(latencies, 99)),
					millis(latencies[latencies.length - 1]), millis(percentile(afterAnswer, 50)),
					millis(percentile(afterAnswer, 99)));
		}
		var sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("BENCHMARK overall (rounds 1-%d, %d deliveries): p50 %d ms, p99 %d ms, max %d ms%n",
				statuses.size() - 1, sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
				millis(sorted[sorted.length - 1]));

		// The fan-out alone: the same event pushed straight to the broker, timed from the push.
		var direct = new ArrayList<Long>();
		for (int round = 0; round < 10; round++) {
			var event = new LiveEvent("ticket.status_changed", merchant.id(), java.util.UUID.fromString(ticketId), null,
					java.time.Instant.now(), 1L, LiveEvent.data("from", "OPEN", "to", "PENDING", "round", round));
			var start = System.nanoTime();
			fanOut.push(event);
			var latencies = new long[clients.size()];
			for (int i = 0; i < clients.size(); i++) {
				var frame = clients.get(i).nextFrame("ticket.status_changed", 10_000);
				assertThat(frame).as("client %d got the event", i).isNotNull();
				latencies[i] = frame.receivedAt() - start;
			}
			Arrays.sort(latencies);
			Arrays.stream(latencies).forEach(direct::add);
			System.out.printf("BENCHMARK fan-out round %d: p50 %d ms, p99 %d ms, max %d ms%n", round,
					millis(percentile(latencies, 50)), millis(percentile(latencies, 99)),
					millis(latencies[latencies.length - 1]));
		}
		var directSorted = direct.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("BENCHMARK fan-out overall (%d deliveries): p50 %d ms, p99 %d ms, max %d ms%n",
				directSorted.length, millis(percentile(directSorted, 50)), millis(percentile(directSorted, 99)),
				millis(directSorted[directSorted.length - 1]));
		clients.forEach(LiveClient::close);
	}

	private static long percentile(long[] sorted, int percent) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}
}
