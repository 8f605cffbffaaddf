package com.acme.helpdesk.jobs.internal;

import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.acme.helpdesk.shared.FailedAuthentications;

/**
 * The JobRunr dashboard (when {@code jobrunr.dashboard.enabled}) on {@link DashboardProperties#bindAddress()}
 * ({@code 127.0.0.1} unless told otherwise, e.g. {@code 0.0.0.0}); the starter's own dashboard bean then stays away.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jobrunr.dashboard.enabled", havingValue = "true")
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardConfiguration {

	@Bean
	JobRunrDashboardWebServer loopbackDashboard(StorageProvider storage, JsonMapper jobRunrJsonMapper,
			JobRunrProperties jobRunr, DashboardProperties properties, FailedAuthentications failures) {
		var dashboard = jobRunr.getDashboard();
		return new LoopbackDashboard(storage, jobRunrJsonMapper, properties.bindAddress(), dashboard.getPort(),
				dashboard.getUsername(), dashboard.getPassword(), jobRunr.getMiscellaneous().isAllowAnonymousDataUsage(),
				failures);
	}
}
