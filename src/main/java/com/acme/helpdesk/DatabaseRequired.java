package com.acme.helpdesk;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;

/**
 * Stops start-up, saying what to set, when no {@code spring.datasource.url} is configured: the service has no database
 * of its own (the development fallback, a local or embedded PostgreSQL, is the run command's, in src/test). Runs last
 * of the listeners of the prepared environment, after {@link ProductionSafety} and that fallback.
 */
class DatabaseRequired implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!StringUtils.hasText(event.getEnvironment().getProperty("spring.datasource.url"))) {
			throw new IllegalStateException("""
					No database: set SPRING_DATASOURCE_URL (with SPRING_DATASOURCE_USERNAME and \
					SPRING_DATASOURCE_PASSWORD) to a PostgreSQL 14 or later. For development, the run command \
					(./mvnw spring-boot:test-run) finds or starts one.""");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}
}
