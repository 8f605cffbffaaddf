package com.acme.helpdesk.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The full application in run mode {@code all}: HTTP API, listeners and one JobRunr server per queue, with
 * retries shrunk to seconds and mail going to {@link TestMail}'s SMTP server. Tests of the whole flow (ticket
 * created, assigned, enriched, clocks running) share this one configuration. The context is closed after each test
 * class, so no two sets of job servers run in one JVM at once (each context has its own database).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=40", "spring.datasource.hikari.minimum-idle=1", "spring.datasource.hikari.idle-timeout=10000",
		"helpdesk.queues.assignment.backoff-base=PT1S", "helpdesk.queues.context-enrichment.backoff-base=PT1S",
		"helpdesk.queues.notification.backoff-base=PT1S", "helpdesk.queues.escalation.backoff-base=PT1S",
		"helpdesk.queues.survey-trigger.backoff-base=PT1S", "helpdesk.sla-monitor.cron=0 0 1 1 *",
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger,analytics-update" })
@AutoConfigureObservability(tracing = false)
@DirtiesContext
@Import({ TestDatabaseConfiguration.class, TestApi.class, TestMail.class })
public @interface HelpdeskWithJobsTest {
}
