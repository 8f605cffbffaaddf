package com.acme.helpdesk.realtime;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.stereotype.Component;

/**
 * {@code relay} in {@code /actuator/health} and its readiness group: with the broker relay on, DOWN while the
 * system session to the broker is not connected (a process then cannot push to the clients of the others, nor they
 * to its clients); UP without the relay.
 */
@Component("relayHealthIndicator")
class RelayHealthIndicator implements HealthIndicator {

	private final RealtimeProperties properties;
	private final ObjectProvider<StompBrokerRelayMessageHandler> relay;

	RelayHealthIndicator(RealtimeProperties properties, ObjectProvider<StompBrokerRelayMessageHandler> relay) {
		this.properties = properties;
		this.relay = relay;
	}

	@Override
	public Health health() {
		var settings = properties.relay();
		var handler = relay.getIfAvailable();
		if (!settings.enabled() || handler == null) {
			return Health.up().withDetail("relay", "off: in-memory broker").build();
		}
		var health = handler.isBrokerAvailable() ? Health.up() : Health.down();
		return health.withDetail("broker", settings.host() + ":" + settings.port())
			.withDetail("virtualHost", settings.virtualHost())
			.build();
	}
}
