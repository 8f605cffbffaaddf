package com.acme.helpdesk.jobs.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.RunMode;

/** The run mode and the queues' effective settings, from {@link QueueProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class QueueSettingsConfiguration {

	@Bean
	RunMode helpdeskRunMode(QueueProperties properties) {
		return properties.runMode();
	}

	@Bean
	JobQueues jobQueues(QueueProperties properties, ConfigurableEnvironment environment) {
		QueueProperties.checkQueueKeys(ConfigurationPropertySources.get(environment));
		return properties.jobQueues();
	}
}
