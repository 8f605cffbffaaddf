package com.acme.helpdesk.shared;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * The first step of {@link ShutdownOrder}: readiness is already DOWN when the context closes; the process keeps
 * serving for {@code helpdesk.shutdown.delay} before anything stops, so load balancers that poll readiness stop
 * sending it requests before it refuses them.
 */
@Component
class ShutdownDelay implements ApplicationListener<ContextClosedEvent> {

	private static final Logger log = LoggerFactory.getLogger(ShutdownDelay.class);

	private final ApplicationContext context;
	private final ShutdownProperties properties;

	ShutdownDelay(ApplicationContext context, ShutdownProperties properties) {
		this.context = context;
		this.properties = properties;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		var delay = properties.delay();
		if (event.getApplicationContext() != context || delay.isZero()) {
			return;
		}
		log.info("Readiness is DOWN; serving {} more before stopping", delay);
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
