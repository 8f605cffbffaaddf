package com.acme.helpdesk.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one database set-up of every integration test: a Testcontainers PostgreSQL where Docker runs,
 * else a fresh database on the server given by the environment (see {@link TestDatabase}); either way one per
 * application context.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

	@Bean
	@ServiceConnection
	@Conditional(DockerAvailable.class)
	PostgreSQLContainer<?> postgres() {
		return new PostgreSQLContainer<>("postgres:15-alpine");
	}

	/** A database of this context's own: another cached context's job servers never claim its jobs. */
	@Bean
	@Conditional(DockerUnavailable.class)
	DynamicPropertyRegistrar localPostgres() {
		var url = TestDatabase.create();
		return registry -> {
			registry.add("spring.datasource.url", () -> url);
			registry.add("spring.datasource.username", TestDatabase::user);
			registry.add("spring.datasource.password", TestDatabase::password);
		};
	}

	static final class DockerAvailable implements Condition {

		private static final boolean AVAILABLE = probe();

		private static boolean probe() {
			try {
				return DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException e) {
				return false;
			}
		}

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return AVAILABLE;
		}
	}

	static final class DockerUnavailable implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !DockerAvailable.AVAILABLE;
		}
	}
}
