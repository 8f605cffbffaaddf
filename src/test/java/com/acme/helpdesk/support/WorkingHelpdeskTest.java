package com.acme.helpdesk.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A full application with its job servers running (run mode {@code all}), mail going to {@link TestMail}'s SMTP
 * server, and short notification and survey retry delays (base 0.2 s; JobRunr still polls every 5 s). Each test
 * class gets its own context, closed afterwards.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "jobrunr.dashboard.enabled=false", "helpdesk.run-mode=all",
		"spring.modulith.events.republish-outstanding-events-on-restart=false",
		"spring.datasource.hikari.maximum-pool-size=40", "spring.datasource.hikari.minimum-idle=2",
		"helpdesk.queues.notification.backoff-base=PT0.2S", "helpdesk.queues.survey-trigger.backoff-base=PT0.2S",
		"helpdesk.sla-monitor.cron=0 0 1 1 *", "helpdesk.notifications.webhook-timeout=PT10S",
		"helpdesk.surveys.public-base-url=https://help.example.test",
		"helpdesk.jobs.serve=sla-monitor,escalation,assignment,notification,context-enrichment,survey-trigger,analytics-update" })
@AutoConfigureObservability(tracing = false)
@Import({ TestDatabaseConfiguration.class, TestApi.class, TestMail.class })
// closed after each class: its job servers would otherwise keep polling beside the test classes after it
@org.springframework.test.annotation.DirtiesContext
public @interface WorkingHelpdeskTest {
}
