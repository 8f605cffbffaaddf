package com.acme.helpdesk.shared;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Failing fast while the database is away: the pool's connection wait is {@code helpdesk.database.connection-timeout}
 * (whatever {@code spring.datasource.hikari.connection-timeout} says), and the {@code db} health check, part of
 * readiness, answers within {@link DatabaseHealthIndicator#TIMEOUT} however long the pool would wait.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

	@Bean
	static BeanPostProcessor connectionTimeoutOfThePool(ObjectProvider<DatabaseProperties> properties) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool) {
					var timeout = properties.getObject().connectionTimeout().toMillis();
					pool.setConnectionTimeout(timeout);
					// borrowing an idle connection checks it first: never for longer than a request may wait
					pool.setValidationTimeout(Math.min(pool.getValidationTimeout(), timeout));
				}
				return bean;
			}
		};
	}

	/** Named as Boot's, which it replaces: that one waits as long as the pool lets it. */
	@Bean
	DatabaseHealthIndicator dbHealthIndicator(DataSource dataSource) {
		return new DatabaseHealthIndicator(dataSource);
	}

	/**
	 * Borrows a connection and validates it on a thread of its own, and answers DOWN when that takes longer than
	 * {@link #TIMEOUT}. A check still waiting for the pool is awaited again rather than joined by another one.
	 */
	static final class DatabaseHealthIndicator implements HealthIndicator, DisposableBean {

		static final Duration TIMEOUT = Duration.ofMillis(800);

		private final DataSource dataSource;
		private final ExecutorService checks = Executors.newSingleThreadExecutor(runnable -> {
			var thread = new Thread(runnable, "db-health");
			thread.setDaemon(true);
			return thread;
		});
		private Future<Health> running;

		DatabaseHealthIndicator(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		public Health health() {
			Future<Health> check;
			synchronized (this) {
				if (running == null || running.isDone()) {
					running = checks.submit(this::check);
				}
				check = running;
			}
			try {
				return check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException e) {
				return Health.down().withDetail("error", "no valid connection within " + TIMEOUT.toMillis() + " ms").build();
			}
			catch (ExecutionException e) {
				return Health.down().withDetail("error", e.getCause().getClass().getSimpleName()).build();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return Health.unknown().build();
			}
		}

		private Health check() throws Exception {
			try (var connection = dataSource.getConnection()) {
				var seconds = (int) Math.max(1, TIMEOUT.toSeconds());
				return connection.isValid(seconds) ? Health.up().withDetail("database", "PostgreSQL").build()
						: Health.down().withDetail("error", "connection not valid").build();
			}
		}

		@Override
		public void destroy() {
			checks.shutdownNow();
		}
	}
}
