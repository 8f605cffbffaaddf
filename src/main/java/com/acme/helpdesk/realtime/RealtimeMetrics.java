package com.acme.helpdesk.realtime;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code helpdesk.realtime.sessions} (STOMP sessions known to this process; with the relay, of the whole cluster)
 * and {@code helpdesk.realtime.broker.available} (1 while the broker, in memory or relayed, takes messages).
 * {@code helpdesk.realtime.events.pushed} (tag {@code event}) is counted by {@link LiveFanOut}.
 */
@Configuration(proxyBeanMethods = false)
class RealtimeMetrics {

	@Bean
	MeterBinder realtimeMeters(SimpUserRegistry users, java.util.List<AbstractBrokerMessageHandler> brokers) {
		return registry -> {
			Gauge.builder("helpdesk.realtime.sessions", users,
					u -> u.getUsers().stream().mapToInt(user -> user.getSessions().size()).sum())
				.description("STOMP sessions connected")
				.register(registry);
			Gauge.builder("helpdesk.realtime.broker.available", brokers,
					b -> b.stream().allMatch(AbstractBrokerMessageHandler::isBrokerAvailable) ? 1 : 0)
				.description("1 while the STOMP broker (in memory or the relay) is available")
				.register(registry);
		};
	}
}
