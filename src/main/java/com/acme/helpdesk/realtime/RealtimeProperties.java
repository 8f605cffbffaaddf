package com.acme.helpdesk.realtime;

import java.time.Duration;
import java.util.List;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code helpdesk.realtime.*}: allowed origins of the {@code /ws} handshake, heart-beats, and the STOMP
 * broker relay that lets several processes share live events.
 */
@Validated
@ConfigurationProperties("helpdesk.realtime")
record RealtimeProperties(@DefaultValue("*") List<String> allowedOrigins,
		@NotNull @DurationMin(seconds = 0) @DefaultValue("10s") Duration heartbeat,
		@NotNull @Valid @DefaultValue Relay relay) {

	/**
	 * The STOMP broker relay (RabbitMQ with {@code rabbitmq_stomp}); off by default, when the in-memory broker
	 * serves the clients of this process only. Every connection to the broker, the clients' too, uses
	 * {@code virtualHost}, whatever {@code host} header a client sends.
	 */
	record Relay(@DefaultValue("false") boolean enabled, @DefaultValue("localhost") String host,
			@Min(1) @Max(65535) @DefaultValue("61613") int port, @DefaultValue("guest") String login,
			@DefaultValue("guest") String passcode, @NotBlank @DefaultValue("/") String virtualHost) {
	}
}
