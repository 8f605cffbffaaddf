package com.acme.helpdesk.jobs.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.acme.helpdesk.shared.FailedAuthentications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the seam of {@link LoopbackDashboard} on JobRunr 8.4: JobRunr's public dashboard handlers, served on the
 * address we bind, answer as JobRunr's own server does, behind basic authentication; nothing listens on other
 * interfaces.
 */
class LoopbackDashboardTests {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	LoopbackDashboard dashboard;

	/** Three wrong passwords per address, then 429 (the service's throttle behind it is tested in AbuseLimitsTests). */
	final FailedAuthentications failures = new FailedAuthentications() {

		final Map<String, Integer> counts = new ConcurrentHashMap<>();

		@Override
		public long retryAfterSeconds(String address) {
			return counts.getOrDefault(address, 0) >= 3 ? 30 : 0;
		}

		@Override
		public void failed(String address) {
			counts.merge(address, 1, Integer::sum);
		}
	};

	@BeforeEach
	void start() throws Exception {
		var json = new JacksonJsonMapper();
		var storage = new InMemoryStorageProvider();
		storage.setJobMapper(new JobMapper(json));
		dashboard = new LoopbackDashboard(storage, json, InetAddress.getLoopbackAddress(), 0, "admin", "s3cret-of-mine",
				false, failures);
		dashboard.start();
	}

	@AfterEach
	void stop() {
		dashboard.stop();
	}

	@Test
	void servesTheDashboardApiOnLoopbackBehindBasicAuthentication() throws Exception {
		var jobs = "/api/jobs?state=ENQUEUED&offset=0&limit=20";

		assertThat(get(jobs, null).statusCode()).isEqualTo(401);
		assertThat(get(jobs, "admin:wrong").statusCode()).isEqualTo(401);
		var answer = get(jobs, "admin:s3cret-of-mine");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("\"items\"");
		assertThat(get("/api/servers", "admin:s3cret-of-mine").statusCode()).isEqualTo(200);
		assertThat(get("/dashboard/", "admin:s3cret-of-mine").statusCode()).isEqualTo(200);
	}

	@Test
	void wrongPasswordsAreThrottledPerClientAddress() throws Exception {
		var jobs = "/api/jobs?state=ENQUEUED&offset=0&limit=20";
		assertThat(get(jobs, null).statusCode()).as("no credential: not a failure").isEqualTo(401);
		for (int i = 0; i < 3; i++) {
			assertThat(get(jobs, "admin:guess-" + i).statusCode()).isEqualTo(401);
		}

		var throttled = get(jobs, "admin:s3cret-of-mine");
		assertThat(throttled.statusCode()).as("even the right password while throttled").isEqualTo(429);
		assertThat(throttled.headers().firstValue("Retry-After")).hasValue("30");
	}

	@Test
	void listensOnNoOtherInterface() throws Exception {
		var other = nonLoopbackAddress();
		assumeThat(other).as("a non-loopback IPv4 address on this machine").isPresent();

		assertThatThrownBy(() -> {
			try (var socket = new Socket()) {
				socket.connect(new InetSocketAddress(other.get(), dashboard.port()), 2000);
			}
		}).isInstanceOf(ConnectException.class);
	}

	private HttpResponse<String> get(String path, String credentials) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path))
			.timeout(Duration.ofSeconds(10));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
		for (var network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (!network.isUp() || network.isLoopback()) {
				continue;
			}
			for (var address : Collections.list(network.getInetAddresses())) {
				if (address instanceof Inet4Address) {
					return Optional.of(address);
				}
			}
		}
		return Optional.empty();
	}
}
