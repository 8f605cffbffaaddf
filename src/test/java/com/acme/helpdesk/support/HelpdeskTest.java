package com.acme.helpdesk.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** A full application on a random port against the test database; tests share this one context. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false",
		"jobrunr.background-job-server.enabled=false", "helpdesk.run-mode=api", "spring.datasource.hikari.maximum-pool-size=20",
		"spring.datasource.hikari.minimum-idle=1", "spring.datasource.hikari.idle-timeout=10000",
		"spring.modulith.events.republish-outstanding-events-on-restart=false" })
@AutoConfigureObservability(tracing = false)
@Import({ TestDatabaseConfiguration.class, TestApi.class })
public @interface HelpdeskTest {
}
