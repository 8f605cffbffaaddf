package com.acme.helpdesk.jobs.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import com.acme.helpdesk.shared.FailedAuthentications;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JobRunr dashboard (when {@code jobrunr.dashboard.enabled}) on {@code helpdesk.dashboard.bind-address}
 * ({@code 127.0.0.1} unless told otherwise, e.g. {@code 0.0.0.0}); the starter's own dashboard bean then stays away.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jobrunr.dashboard.enabled", havingValue = "true")
class DashboardConfiguration {

	@Bean
	JobRunrDashboardWebServer loopbackDashboard(StorageProvider storage, JsonMapper jobRunrJsonMapper,
			JobRunrProperties jobRunr, @Value("${helpdesk.dashboard.bind-address:127.0.0.1}") String bindAddress,
			FailedAuthentications failures)
			throws UnknownHostException {
		var dashboard = jobRunr.getDashboard();
		return new LoopbackDashboard(storage, jobRunrJsonMapper, InetAddress.getByName(bindAddress), dashboard.getPort(),
				dashboard.getUsername(), dashboard.getPassword(), jobRunr.getMiscellaneous().isAllowAnonymousDataUsage(),
				failures);
	}
}
