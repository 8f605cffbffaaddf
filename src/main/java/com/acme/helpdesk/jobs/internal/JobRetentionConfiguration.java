package com.acme.helpdesk.jobs.internal;

import java.time.Clock;

import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobReruns;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobRetentionProperties.class)
class JobRetentionConfiguration {

	@Bean
	JobReruns jobReruns(JobQueues queues, QueueServers.ServerSettings servers, JobRetentionProperties retention) {
		return new JobRerunWindow(queues, servers, retention);
	}

	@Bean
	JobRetention jobRetention(JdbcClient jdbc, JobRetentionProperties properties, JobReruns reruns, Clock clock,
			JobRunrProperties jobRunr) {
		return new JobRetention(jdbc, properties, reruns, clock, jobRunr.getDatabase().getTablePrefix());
	}
}
