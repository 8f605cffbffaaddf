package com.acme.helpdesk.jobs.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.acme.helpdesk.shared.FailedAuthentications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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

import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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

	/**
	 * JobRunr's starter takes {@link DashboardConfiguration}'s bean as the dashboard (its own, which binds every
	 * interface, stays away) and starts it.
	 */
	@Test
	void jobRunrsStarterServesThisDashboardInsteadOfItsOwn() {
		var json = new JacksonJsonMapper();
		var storage = new InMemoryStorageProvider();
		storage.setJobMapper(new JobMapper(json));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JobRunrAutoConfiguration.class))
			.withUserConfiguration(DashboardConfiguration.class)
			.withBean(StorageProvider.class, () -> storage)
			.withBean(FailedAuthentications.class, () -> failures)
			.withPropertyValues("jobrunr.dashboard.enabled=true", "jobrunr.dashboard.port=0",
					"jobrunr.dashboard.username=admin", "jobrunr.dashboard.password=s3cret-of-mine",
					"jobrunr.miscellaneous.allow-anonymous-data-usage=false")
			.run(context -> {
				assertThat(context).hasSingleBean(JobRunrDashboardWebServer.class);
				var served = context.getBean(JobRunrDashboardWebServer.class);
				assertThat(served).as("the dashboard JobRunr's starter serves").isInstanceOf(LoopbackDashboard.class);
				assertThatCode(((LoopbackDashboard) served)::port).as("started by JobRunr's starter")
					.doesNotThrowAnyException();
				var port = ((LoopbackDashboard) served).port();
				var jobs = "/api/jobs?state=ENQUEUED&offset=0&limit=20";
				assertThat(get(port, jobs, null).statusCode()).isEqualTo(401);
				assertThat(get(port, jobs, "admin:s3cret-of-mine").statusCode()).isEqualTo(200);
				var other = nonLoopbackAddress();
				if (other.isPresent()) {
					assertThatThrownBy(() -> {
						try (var socket = new Socket()) {
							socket.connect(new InetSocketAddress(other.get(), port), 2000);
						}
					}).as("nothing on " + other.get()).isInstanceOf(ConnectException.class);
				}
			});
	}

	private HttpResponse<String> get(String path, String credentials) throws IOException, InterruptedException {
		return get(dashboard.port(), path, credentials);
	}

	private static HttpResponse<String> get(int port, String path, String credentials)
			throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
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
