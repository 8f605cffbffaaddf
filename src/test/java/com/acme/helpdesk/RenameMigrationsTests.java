package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.sla.EscalationJob;
import com.acme.helpdesk.sla.SlaMetric;
import com.acme.helpdesk.sla.SlaWarning;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The migrations of issue 17's renames carry what an earlier build left in the database: an incomplete publication
 * under a renamed listener id ({@code V82}) and a stored job naming a renamed job record ({@code V83}). Each test
 * writes the row as the earlier build did, runs the migration's statements again (Flyway ran them on an empty table
 * at start-up) and checks that the row works under the new name.
 */
@HelpdeskTest
class RenameMigrationsTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ObjectMapper objectMapper;

	@Autowired
	TestApi api;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	StorageProvider storage;

	@Test
	void anIncompletePublicationOfARenamedListenerIdIsDeliveredAfterV82() throws Exception {
		var merchant = api.newMerchant();
		var now = Instant.now();
		// a warning about a ticket that does not exist: the listener has nothing to notify and completes
		var warning = new SlaWarning(UUID.randomUUID(), UUID.randomUUID(), merchant.id(), UUID.randomUUID(),
				SlaMetric.FIRST_RESPONSE, 1, now, now.plusSeconds(60), now);
		var publication = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date)
				VALUES (?, 'notifications.on-sla-warning', ?, ?, ?)""")
			.params(publication, SlaWarning.class.getName(), objectMapper.writeValueAsString(warning),
					Timestamp.from(now.minus(Duration.ofMinutes(10))))
			.update();

		resubmitIncompletePublications();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !completed(publication));

		runMigration("V82__listener_ids_in_one_style.sql");
		assertThat(jdbc.sql("SELECT listener_id FROM event_publication WHERE id = ?").param(publication)
			.query(String.class).single()).isEqualTo("notifications.notify-sla-warning");
		resubmitIncompletePublications();

		await().atMost(Duration.ofSeconds(20)).until(() -> completed(publication));
	}

	@Test
	void aStoredEscalationJobOfTheEarlierBuildIsReadAsEscalationJobLevelAfterV83() throws IOException {
		var merchant = api.newMerchant();
		var ticketId = UUID.randomUUID();
		var id = dispatcher.publish(EscalationJob.process(merchant.id(), ticketId, 1)
			.notBefore(Instant.now().plus(Duration.ofDays(30))));
		var level = EscalationJob.Level.class.getName();
		var process = level.substring(0, level.lastIndexOf('$')) + "$Process";
		jdbc.sql("UPDATE jobrunr_jobs SET jobAsJson = replace(jobAsJson, ?, ?), jobSignature = replace(jobSignature, ?, ?) "
				+ "WHERE id = ?")
			.params(level, process, level, process, id.toString())
			.update();
		assertThat(signature(id)).contains("EscalationJob$Process");

		runMigration("V83__escalation_job_level.sql");

		assertThat(signature(id)).contains("EscalationJob$Level").doesNotContain("Process");
		var parameters = storage.getJobById(id).getJobDetails().getJobParameters();
		assertThat(parameters.get(1).getObject()).isEqualTo(new EscalationJob.Level(merchant.id(), ticketId, 1));
		storage.deletePermanently(id);
	}

	private void resubmitIncompletePublications() {
		assertThat(api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"))
			.status()).isEqualTo(200);
	}

	private boolean completed(UUID publication) {
		return jdbc.sql("SELECT completion_date IS NOT NULL FROM event_publication WHERE id = ?")
			.param(publication)
			.query(Boolean.class)
			.single();
	}

	private String signature(UUID jobId) {
		return jdbc.sql("SELECT jobSignature FROM jobrunr_jobs WHERE id = ?").param(jobId.toString())
			.query(String.class).single();
	}

	private void runMigration(String file) throws IOException {
		var script = new ClassPathResource("db/migration/" + file).getContentAsString(StandardCharsets.UTF_8);
		var statements = Arrays.stream(script.split("\n"))
			.filter(line -> !line.startsWith("--"))
			.collect(Collectors.joining("\n"))
			.split(";");
		for (var statement : statements) {
			if (!statement.isBlank()) {
				jdbc.sql(statement).update();
			}
		}
	}
}
