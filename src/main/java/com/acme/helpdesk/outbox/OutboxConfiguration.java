package com.acme.helpdesk.outbox;

import java.time.Duration;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.AsyncAnnotationBeanPostProcessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import com.acme.helpdesk.shared.ShutdownOrder;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Which process a publication belongs to, and what happens to the publications of a process that stops or dies
 * ({@link ProcessLiveness}, {@link DeadProcessPublications}); the listeners' part of the shutdown
 * ({@link ListenerDrain}).
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

	@Bean
	static ProcessLiveness.Identity processIdentity() {
		return ProcessLiveness.Identity.ofThisProcess();
	}

	/** Every connection of the pool names this process, and so does every publication written on it. */
	@Bean
	static BeanPostProcessor processIdOnConnections(ObjectProvider<ProcessLiveness.Identity> identity) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool) {
					var configured = pool.getConnectionInitSql();
					var ours = identity.getObject().connectionInitSql();
					pool.setConnectionInitSql(configured == null || configured.isBlank() ? ours : ours + "; " + configured);
				}
				return bean;
			}
		};
	}

	@Bean
	ProcessLiveness processLiveness(ProcessLiveness.Identity identity, JdbcClient jdbc, OutboxProperties properties) {
		return new ProcessLiveness(identity, jdbc, properties);
	}

	@Bean
	DeadProcessPublications deadProcessPublications(JdbcClient jdbc, IncompleteEventPublications incomplete,
			ProcessLiveness liveness, OutboxProperties properties, ApplicationContext context) {
		return new DeadProcessPublications(jdbc, incomplete, liveness, properties, context);
	}

	@Bean
	ListenerDrain listenersBeforeJobServers(BeanFactory beans, ObjectProvider<TaskExecutionProperties> execution) {
		return new ListenerDrain("before the job servers stop", ShutdownOrder.LISTENERS, () -> listeners(beans),
				bound(execution));
	}

	@Bean
	ListenerDrain listenersAfterJobServers(BeanFactory beans, ObjectProvider<TaskExecutionProperties> execution) {
		return new ListenerDrain("after the job servers stopped", ShutdownOrder.LISTENERS_AFTER_JOBS,
				() -> listeners(beans), bound(execution));
	}

	/** The executor {@code @Async} listeners run on (Spring Boot's, named for {@code @Async}), when it is a pool. */
	private static ThreadPoolTaskExecutor listeners(BeanFactory beans) {
		var name = AsyncAnnotationBeanPostProcessor.DEFAULT_TASK_EXECUTOR_BEAN_NAME;
		return beans.containsBean(name) && beans.getBean(name) instanceof ThreadPoolTaskExecutor pool ? pool : null;
	}

	private static Duration bound(ObjectProvider<TaskExecutionProperties> execution) {
		var properties = execution.getIfAvailable();
		var period = properties == null ? null : properties.getShutdown().getAwaitTerminationPeriod();
		return period == null ? Duration.ofSeconds(30) : period;
	}
}
