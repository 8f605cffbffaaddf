package com.acme.helpdesk.realtime;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code helpdesk.realtime.*}: allowed origins of the {@code /ws} handshake, heart-beats, and the STOMP
 * broker relay that lets several processes share live events.
 */
@ConfigurationProperties("helpdesk.realtime")
record RealtimeProperties(@DefaultValue("*") List<String> allowedOrigins, @DefaultValue("10s") Duration heartbeat,
		@DefaultValue Relay relay) {

	/**
	 * The STOMP broker relay (RabbitMQ with {@code rabbitmq_stomp}); off by default, when the in-memory broker
	 * serves the clients of this process only.
	 */
	record Relay(@DefaultValue("false") boolean enabled, @DefaultValue("localhost") String host,
			@DefaultValue("61613") int port, @DefaultValue("guest") String login, @DefaultValue("guest") String passcode,
			String virtualHost) {
	}
}
