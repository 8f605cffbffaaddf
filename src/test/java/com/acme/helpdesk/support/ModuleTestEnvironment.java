package com.acme.helpdesk.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * What a module test ({@code @ApplicationModuleTest}) adds to the modules it bootstraps: the test database, the
 * operations token {@link TestApi} creates merchants with, no job servers (a test that needs a job's effect runs the
 * job's worker itself), no redelivery at start-up of publications other tests left incomplete nor takeover of those
 * of stopped applications (a module test runs only some listeners), and
 * {@link PatientScenarios}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = { "helpdesk.ops-token=" + TestApi.OPS_TOKEN, "helpdesk.run-mode=api",
		"jobrunr.background-job-server.enabled=false", "jobrunr.dashboard.enabled=false",
		"spring.modulith.events.republish-outstanding-events-on-restart=false", "helpdesk.outbox.take-over=false",
		"spring.datasource.hikari.maximum-pool-size=20", "spring.datasource.hikari.minimum-idle=1",
		"spring.datasource.hikari.idle-timeout=10000",
		// the readiness group names the relay health of realtime, which a module test may leave out
		"management.endpoint.health.validate-group-membership=false" })
@Import({ TestDatabaseConfiguration.class, TestApi.class })
@ExtendWith(PatientScenarios.class)
public @interface ModuleTestEnvironment {
}
