package com.acme.helpdesk.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/** The relay pointed at a port where nothing listens: its system session never connects, so readiness is DOWN. */
@HelpdeskTest
@DirtiesContext
@TestPropertySource(properties = { "helpdesk.realtime.relay.enabled=true", "helpdesk.realtime.relay.host=127.0.0.1",
		"management.endpoint.health.group.readiness.show-details=always" })
class RelayDownTests {

	@Autowired
	TestApi api;

	@Autowired
	StompBrokerRelayMessageHandler relay;

	@DynamicPropertySource
	static void closedPort(DynamicPropertyRegistry registry) {
		int closed;
		try (var socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		registry.add("helpdesk.realtime.relay.port", () -> closed);
	}

	@Test
	void readinessIsDownWhileTheRelayIsNotConnected() {
		assertThat(relay.isRunning()).isTrue();
		assertThat(relay.isBrokerAvailable()).isFalse();

		var readiness = api.get("/actuator/health/readiness", null);

		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.body().get("status").asText()).isEqualTo("DOWN");
		assertThat(readiness.body().at("/components/relay/status").asText()).isEqualTo("DOWN");
		assertThat(readiness.body().at("/components/db/status").asText()).isEqualTo("UP");
		assertThat(readiness.body().at("/components/readinessState/status").asText()).isEqualTo("UP");
		assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
	}
}
