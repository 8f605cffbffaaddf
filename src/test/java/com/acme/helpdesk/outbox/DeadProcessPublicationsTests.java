package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.Scenarios;
import com.acme.helpdesk.support.TestApi;

/**
 * Which process a publication belongs to, and the takeover of a dead process's publications, in this test's
 * application and any other full application this test run keeps alive (the child-process tests,
 * {@code CrashRecoveryTests} and {@code TwoWorkerProcessesTests}, show it across real processes). Processes that died or live elsewhere are rows of {@code process_instance} here, and their
 * publications are this application's own, handed to them by changing {@code process_id}.
 */
@HelpdeskTest
class DeadProcessPublicationsTests {

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ProcessLiveness liveness;

	@Autowired
	DeadProcessPublications publications;

	/** The contract the takeover rests on: Spring Modulith's insert leaves our column to its default. */
	@Test
	void aPublicationCarriesTheProcessThatWroteIt() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, given.agent(merchant, Scenarios.domain()));
		given.awaitListeners(ticket.id());

		assertThat(processesOfPublications(ticket.id())).containsExactly(liveness.id());
		assertThat(jdbc.sql("SELECT stopped_at IS NULL AND heartbeat_at > now() - interval '20 seconds' FROM process_instance WHERE id = ?")
			.param(liveness.id())
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void incompletePublicationsOfADeadProcessAreDeliveredHereOnceAndThoseOfALiveOneAreLeftAlone() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var agent = given.agent(merchant, Scenarios.domain());
		var ofTheDead = given.ticket(merchant, Scenarios.domain());
		var ofTheLiving = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ofTheDead, agent);
		given.assign(merchant, ofTheLiving, agent);
		given.awaitListeners(ofTheDead.id());
		given.awaitListeners(ofTheLiving.id());
		assertThat(load(agent.id())).isEqualTo(2);

		var dead = "test-dead-" + UUID.randomUUID();
		var living = "test-living-" + UUID.randomUUID();
		jdbc.sql("INSERT INTO process_instance (id, name, heartbeat_at) VALUES (?, 'died a minute ago', now() - interval '1 minute')")
			.param(dead)
			.update();
		jdbc.sql("INSERT INTO process_instance (id, name, heartbeat_at) VALUES (?, 'alive', now() + interval '10 minutes')")
			.param(living)
			.update();
		var handedToTheDead = handOver(ofTheDead.id(), dead);
		var handedToTheLiving = handOver(ofTheLiving.id(), living);
		assertThat(handedToTheDead).isPositive();
		assertThat(handedToTheLiving).isPositive();
		try {
			// here, or in the sweep of this or another live application of this test run, whichever comes first
			publications.takeOver();

			given.awaitListeners(ofTheDead.id());
			assertThat(processesOfPublications(ofTheDead.id())).as("taken over by a live process")
				.hasSize(1)
				.doesNotContain(dead)
				.allMatch(this::alive);
			// delivered again, once: the agent's load counted each assignment once
			assertThat(load(agent.id())).isEqualTo(2);
			assertThat(jdbc.sql("SELECT count(*) FROM process_instance WHERE id = ?").param(dead).query(Long.class).single())
				.as("a dead process with nothing left is forgotten")
				.isZero();

			publications.takeOver();
			assertThat(incomplete(ofTheLiving.id())).isEqualTo(handedToTheLiving);
			assertThat(processesOfPublications(ofTheLiving.id())).containsExactly(living);
		}
		finally {
			jdbc.sql("UPDATE event_publication SET completion_date = now(), process_id = ? WHERE serialized_event LIKE ?")
				.params(liveness.id(), "%" + ofTheLiving.id() + "%")
				.update();
			jdbc.sql("DELETE FROM process_instance WHERE id IN (?, ?)").params(dead, living).update();
		}
	}

	@Test
	void aStoppedProcessIsDeadAtOnce() {
		var given = new Scenarios(api, jdbc);
		var merchant = api.newMerchant();
		var ticket = given.ticket(merchant, Scenarios.domain());
		given.assign(merchant, ticket, given.agent(merchant, Scenarios.domain()));
		given.awaitListeners(ticket.id());
		var stopped = "test-stopped-" + UUID.randomUUID();
		jdbc.sql("INSERT INTO process_instance (id, name, stopped_at) VALUES (?, 'stopped just now', now())")
			.param(stopped)
			.update();
		handOver(ticket.id(), stopped);

		await().atMost(Duration.ofSeconds(20)).until(() -> {
			publications.takeOver();
			return incomplete(ticket.id()) == 0;
		});
		assertThat(processesOfPublications(ticket.id())).hasSize(1).doesNotContain(stopped).allMatch(this::alive);
	}

	private boolean alive(String process) {
		return jdbc.sql("SELECT count(*) FROM process_instance WHERE id = ? AND stopped_at IS NULL AND heartbeat_at > now() - interval '20 seconds'")
			.param(process)
			.query(Long.class)
			.single() == 1;
	}

	/** Makes the ticket's publications incomplete ones of {@code process}. */
	private int handOver(UUID ticketId, String process) {
		return jdbc.sql("UPDATE event_publication SET completion_date = NULL, process_id = ? WHERE serialized_event LIKE ?")
			.params(process, "%" + ticketId + "%")
			.update();
	}

	private List<String> processesOfPublications(UUID ticketId) {
		return jdbc.sql("SELECT DISTINCT process_id FROM event_publication WHERE serialized_event LIKE ?")
			.param("%" + ticketId + "%")
			.query(String.class)
			.list();
	}

	private long incomplete(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?")
			.param("%" + ticketId + "%")
			.query(Long.class)
			.single();
	}

	private int load(UUID agentId) {
		return jdbc.sql("SELECT load FROM agent WHERE id = ?").param(agentId).query(Integer.class).single();
	}
}
