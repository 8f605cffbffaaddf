package com.acme.helpdesk.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.support.TestDatabaseConfiguration;

/**
 * A delayed job starts when it is due, not at the master's next poll: the process that published it enqueues it then
 * ({@code QueueServers.dueAt}). JobRunr polls only every 10 minutes here, so only that can start the job within the
 * test; and it does not start before its delay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"helpdesk.ops-token=" + TestApi.OPS_TOKEN, "helpdesk.run-mode=all",
		"jobrunr.background-job-server.poll-interval-in-seconds=600", "helpdesk.sla-monitor.cron=0 0 1 1 *",
		"spring.modulith.events.republish-outstanding-events-on-restart=false", "helpdesk.jobs.serve=escalation" })
@Import(TestDatabaseConfiguration.class)
// closed afterwards: its job servers would otherwise keep running beside later test classes
@DirtiesContext
class DelayedJobsStartOnTimeTests {

	@Autowired
	JobDispatcher dispatcher;

	@Test
	void aDelayedJobStartsOnceDueLongBeforeTheMastersNextPoll() {
		var tag = "due-" + UUID.randomUUID();
		var delay = Duration.ofSeconds(1);
		var due = Instant.now().plus(delay);
		dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, tag)).delayedBy(delay));

		await().atMost(Duration.ofMinutes(2)).until(() -> TestJobs.STARTED.containsKey(tag));
		assertThat(TestJobs.STARTED.get(tag)).as("not before its delay").isAfterOrEqualTo(due);
	}
}
