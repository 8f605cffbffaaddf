package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.TicketCreated;

/** A listener that throws leaves its publication incomplete; resubmission delivers it again. */
@HelpdeskTest
@Import(FailedListenerTests.FlakyListener.class)
class FailedListenerTests {

	static final String LISTENER_ID = "test.flaky-listener";

	@TestConfiguration(proxyBeanMethods = false)
	static class FlakyListener {

		final AtomicBoolean failing = new AtomicBoolean(true);
		final AtomicInteger attempts = new AtomicInteger();
		final Set<UUID> handled = ConcurrentHashMap.newKeySet();

		@ApplicationModuleListener(id = LISTENER_ID)
		void on(TicketCreated event) {
			attempts.incrementAndGet();
			if (failing.get()) {
				throw new IllegalStateException("listener down");
			}
			handled.add(event.ticketId());
		}

		int attempts() {
			return attempts.get();
		}

		Set<UUID> handled() {
			return handled;
		}

		void recover() {
			failing.set(false);
		}

		void breakDown() {
			failing.set(true);
		}
	}

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	FlakyListener listener;

	@Autowired
	org.jobrunr.storage.StorageProvider storage;

	@Autowired
	org.springframework.context.ApplicationContext context;

	@org.springframework.beans.factory.annotation.Value("${helpdesk.outbox.resubmit-cron}")
	String resubmitCron;

	@org.junit.jupiter.api.BeforeEach
	void listenerDown() {
		listener.breakDown();
	}

	@Test
	void failedListenerLeavesItsPublicationIncompleteUntilResubmitted() {
		var merchant = api.newMerchant();
		var before = listener.attempts();
		var ticketId = api.newTicket(merchant);

		await().atMost(Duration.ofSeconds(10)).until(() -> listener.attempts() >= before + 1);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> completed(ticketId) == Boolean.FALSE);
		var listed = api.get("/ops/v1/event-publications?state=incomplete&size=500", TestApi.OPS_TOKEN).body();
		assertThat(listed.get("items").findValuesAsText("listenerId")).contains(LISTENER_ID);
		assertThat(api.get("/ops/v1/event-publications?state=complete", TestApi.OPS_TOKEN).status()).isEqualTo(400);

		var stillFailing = api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));
		assertThat(stillFailing.body().get("resubmitted").asInt()).isGreaterThanOrEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> listener.attempts() >= before + 2);
		assertThat(completed(ticketId)).isFalse();

		listener.recover();
		api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));

		await().atMost(Duration.ofSeconds(10)).until(() -> completed(ticketId));
		assertThat(listener.handled()).contains(ticketId);
	}

	@Test
	void oneRecurringJobOfTheClusterResubmitsStaleIncompletePublicationsAndLeavesFreshOnes() throws Exception {
		var resubmitJobs = storage.getRecurringJobs().stream()
			.filter(job -> job.getJobDetails().getClassName().equals(OutboxMaintenance.class.getName())
					&& job.getJobDetails().getMethodName().equals("resubmitStale"))
			.toList();
		assertThat(resubmitJobs).hasSize(1);
		var recurring = resubmitJobs.get(0);
		assertThat(recurring.getId()).isEqualTo("outbox-resubmit-stale");
		assertThat(recurring.getScheduleExpression()).isEqualTo(resubmitCron).isEqualTo("*/1 * * * *");

		var merchant = api.newMerchant();
		var stale = api.newTicket(merchant);
		var fresh = api.newTicket(merchant);
		await().atMost(Duration.ofSeconds(10)).until(() -> completed(stale) == Boolean.FALSE && completed(fresh) == Boolean.FALSE);
		// older than helpdesk.outbox.resubmit-older-than (5 minutes)
		jdbc.sql("UPDATE event_publication SET publication_date = publication_date - INTERVAL '10 minutes' "
				+ "WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(LISTENER_ID, "%\"ticketId\":\"" + stale + "\"%")
			.update();
		listener.recover();

		// what a server does with the recurring job: call the method it names on the bean of its class
		var details = recurring.getJobDetails();
		assertThat(details.getJobParameters()).isEmpty();
		var bean = context.getBean(Class.forName(details.getClassName()));
		var resubmitted = (Integer) bean.getClass().getMethod(details.getMethodName()).invoke(bean);

		assertThat(resubmitted).isGreaterThanOrEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> completed(stale));
		assertThat(listener.handled()).contains(stale);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> completed(fresh) == Boolean.FALSE);
		assertThat(listener.handled()).doesNotContain(fresh);
	}


	@Test
	void purgeDeletesCompletedPublicationsOlderThanTheGivenAge() {
		var merchant = api.newMerchant();
		listener.recover();
		var ticketId = api.newTicket(merchant);
		await().atMost(Duration.ofSeconds(10)).until(() -> completed(ticketId));

		assertThat(api.post("/ops/v1/event-publications/purge", TestApi.OPS_TOKEN, Map.of("olderThan", "P1D")).status())
			.isEqualTo(204);
		assertThat(completed(ticketId)).isTrue();

		assertThat(api.post("/ops/v1/event-publications/purge", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S")).status())
			.isEqualTo(204);
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%\"ticketId\":\"" + ticketId + "\"%")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void resubmitRefusesABadDuration() {
		var response = api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "soon"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("errors").get(0).get("field").asText()).isEqualTo("olderThan");
		assertThat(api.post("/ops/v1/event-publications/resubmit", null, Map.of("olderThan", "PT1M")).status())
			.isEqualTo(401);
	}

	private Boolean completed(UUID ticketId) {
		return jdbc.sql("SELECT completion_date IS NOT NULL FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(LISTENER_ID, "%\"ticketId\":\"" + ticketId + "\"%")
			.query(Boolean.class)
			.single();
	}
}
