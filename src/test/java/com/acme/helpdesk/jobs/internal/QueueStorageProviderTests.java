package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.utils.mapper.JsonMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.TestJobs;
import com.acme.helpdesk.support.HelpdeskTest;

/** A queue server's claims and its saves of changed jobs, on the test database (no job servers run here). */
@HelpdeskTest
class QueueStorageProviderTests {

	@Autowired
	StorageProvider storage;

	@Autowired
	JobDispatcher dispatcher;

	@Autowired
	DataSource dataSource;

	@Autowired
	JobMapper jobMapper;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper jsonMapper;

	@Autowired
	JobActivator activator;

	@Test
	void savesAChangedJobAsJobRunrWouldAndRefusesOneChangedMeanwhile() {
		var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, null, JobQueue.ESCALATION, queue -> {
		}, null);
		var id = dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "save-" + UUID.randomUUID()))
			.delayedBy(Duration.ofHours(1)));
		var mine = storage.getJobById(id);
		var stale = storage.getJobById(id);

		var later = mine.getUpdatedAt().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
		mine.scheduleAt(later, "moved by the test");
		queueStorage.save(mine);

		assertThat(mine.getVersion()).isEqualTo(2);
		var stored = storage.getJobById(id);
		assertThat(stored.getVersion()).isEqualTo(2);
		assertThat(stored.getJobStates()).hasSize(2);
		assertThat(stored.<ScheduledState>getJobState().getScheduledAt()).isEqualTo(later);
		var row = jdbc.sql("SELECT state, scheduledAt, updatedAt FROM jobrunr_jobs WHERE id = ?")
			.param(id.toString())
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getTimestamp(2, utc()).toInstant(),
					rs.getTimestamp(3, utc()).toInstant() })
			.single();
		assertThat(row[0]).isEqualTo(StateName.SCHEDULED.name());
		assertThat(row[1]).isEqualTo(later);
		assertThat((java.time.Instant) row[2]).isCloseTo(stored.getUpdatedAt(), within(1, ChronoUnit.MICROS));

		stale.delete("a concurrent change");
		assertThatThrownBy(() -> queueStorage.save(stale)).isInstanceOf(ConcurrentJobModificationException.class);
		assertThat(stale.getVersion()).as("version left as read").isEqualTo(1);
		assertThat(storage.getJobById(id).getState()).isEqualTo(StateName.SCHEDULED);
	}

	@Test
	void handsOutScheduledJobsOnlyOnceDueThoughJobRunrAsksAPollIntervalAhead() {
		var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, null, JobQueue.ESCALATION, queue -> {
		}, null);
		var soon = dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "soon-" + UUID.randomUUID()))
			.delayedBy(Duration.ofSeconds(30)));
		var due = storage.getJobById(dispatcher.publish(Dispatch
			.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "due-" + UUID.randomUUID()))
			.delayedBy(Duration.ofHours(1))));
		due.scheduleAt(java.time.Instant.now().minusSeconds(1), "due a second ago");
		queueStorage.save(due);
		// JobRunr's ProcessScheduledJobsTask asks for the jobs scheduled before now plus its poll interval (5 s by
		// default; a minute here, so that the test's own time does not matter)
		var askedFor = java.time.Instant.now().plusSeconds(60);
		var page = org.jobrunr.storage.Paging.AmountBasedList.ascOnUpdatedAt(1000);

		assertThat(storage.getScheduledJobs(askedFor, page)).extracting(org.jobrunr.jobs.Job::getId).contains(soon, due.getId());
		assertThat(queueStorage.getScheduledJobs(askedFor, page)).extracting(org.jobrunr.jobs.Job::getId)
			.contains(due.getId())
			.doesNotContain(soon);
	}

	@Test
	void jobsTheMasterEnqueuesWakeTheirQueuesServersAndJobsStillScheduledDoNot() {
		var woken = new java.util.concurrent.CopyOnWriteArrayList<JobQueue>();
		var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, null, null, woken::add, null);
		var retry = storage.getJobById(dispatcher.publish(Dispatch
			.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "retry-" + UUID.randomUUID()))
			.delayedBy(Duration.ofHours(1))));
		var later = storage.getJobById(dispatcher.publish(Dispatch
			.of(new TestJobs.Sleep(JobQueue.NOTIFICATION, "notification", 0, "later-" + UUID.randomUUID()))
			.delayedBy(Duration.ofHours(1))));

		// what JobRunr's ProcessScheduledJobsTask does with the due ones
		retry.enqueue();
		later.scheduleAt(java.time.Instant.now().plusSeconds(3600), "still later");
		queueStorage.save(java.util.List.of(retry, later));

		assertThat(woken).containsExactly(JobQueue.ESCALATION);
		assertThat(storage.getJobById(retry.getId()).getState()).isEqualTo(StateName.ENQUEUED);
	}

	@Test
	void writesSucceededJobsManyPerStatementAndLeavesAJobChangedMeanwhileAlone() throws Exception {
		// not started: what it takes is written when it closes, all of it at once
		var writes = new SucceededJobWrites(dataSource, jobMapper, null);
		var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, null, JobQueue.ESCALATION, queue -> {
		}, writes);
		var first = processing(queueStorage, "succeeded-" + UUID.randomUUID());
		var second = processing(queueStorage, "succeeded-" + UUID.randomUUID());
		var changedMeanwhile = processing(queueStorage, "deleted-" + UUID.randomUUID());
		var deletion = storage.getJobById(changedMeanwhile.getId());
		deletion.delete("deleted from the dashboard while it ran");
		storage.save(deletion);

		for (var job : java.util.List.of(first, second, changedMeanwhile)) {
			job.succeeded();
			queueStorage.save(job);
			assertThat(job.getVersion()).as("counts as saved").isEqualTo(3);
		}
		assertThat(storage.getJobById(first.getId()).getState()).as("not written yet").isEqualTo(StateName.PROCESSING);
		writes.close();

		assertThat(writes.batches()).isEqualTo(1);
		for (var job : java.util.List.of(first, second)) {
			var stored = storage.getJobById(job.getId());
			assertThat(stored.getState()).isEqualTo(StateName.SUCCEEDED);
			assertThat(stored.getVersion()).isEqualTo(3);
			assertThat(stored.getJobStates()).hasSize(3);
		}
		assertThat(storage.getJobById(changedMeanwhile.getId()).getState()).isEqualTo(StateName.DELETED);
	}

	@Test
	void aSucceededJobInAListSaveQueuesBehindItsOwnWriteAndTheOthersAreSavedAtOnce() throws Exception {
		var writes = new SucceededJobWrites(dataSource, jobMapper, null);
		var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, null, JobQueue.ESCALATION, queue -> {
		}, writes);
		var finished = processing(queueStorage, "finished-" + UUID.randomUUID());
		var running = processing(queueStorage, "running-" + UUID.randomUUID());
		finished.succeeded();
		queueStorage.save(finished);

		// what JobRunr's task refreshing the jobs in progress does when one of them has just finished
		running.updateProcessing();
		var saved = queueStorage.save(java.util.List.of(finished, running));

		assertThat(saved).containsExactlyInAnyOrder(finished, running);
		assertThat(storage.getJobById(running.getId()).getVersion()).as("saved at once").isEqualTo(3);
		assertThat(storage.getJobById(finished.getId()).getState()).isEqualTo(StateName.PROCESSING);
		writes.close();
		var stored = storage.getJobById(finished.getId());
		assertThat(stored.getState()).isEqualTo(StateName.SUCCEEDED);
		assertThat(stored.getVersion()).as("both writes, in order").isEqualTo(4);
	}

	/**
	 * Claims from a jobs table of the test's own (a copy of {@code jobrunr_jobs}, indexes and all), so that no other
	 * test's jobs are in the way. A late job stands for one whose transaction committed after younger ones.
	 */
	@Test
	void everyClaimTakesTheOldestEnqueuedJobsOfItsQueueLateCommittedOnesIncluded() {
		jdbc.sql("CREATE SCHEMA claim_test").update();
		try {
			jdbc.sql("CREATE TABLE claim_test.jobrunr_jobs (LIKE jobrunr_jobs INCLUDING ALL)").update();
			var base = Instant.parse("2026-01-01T00:00:00Z");
			var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, "claim_test.", JobQueue.ESCALATION,
					queue -> {
					}, null);
			var server = new BackgroundJobServer(queueStorage, jsonMapper, activator,
					BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration());
			var first = enqueuedAt(base.plusSeconds(1));
			var second = enqueuedAt(base.plusSeconds(2));
			var third = enqueuedAt(base.plusSeconds(3));

			assertThat(claim(queueStorage, server, 2)).containsExactly(first, second);
			var late = enqueuedAt(base);
			assertThat(claim(queueStorage, server, 1)).as("the late job, older than the third").containsExactly(late);
			assertThat(claim(queueStorage, server, 2)).containsExactly(third);
			assertThat(claim(queueStorage, server, 1)).isEmpty();
			assertThat(jdbc.sql("SELECT count(*) FROM claim_test.jobrunr_jobs WHERE state = 'PROCESSING'")
				.query(Long.class)
				.single()).isEqualTo(4);
		}
		finally {
			jdbc.sql("DROP SCHEMA claim_test CASCADE").update();
		}
	}

	/**
	 * Claims on one provider run one at a time by its own lock (so {@code refuseClaims} can wait for a claim under
	 * way), not because JobRunr's task happens to call them under one of its own: a second claim waits for the first
	 * on the provider, not in the database. The first claim is held in the database by a lock on the (test's own) jobs table.
	 */
	@Test
	void claimsOnOneProviderRunOneAtATimeWhoeverCallsThem() throws Exception {
		jdbc.sql("CREATE SCHEMA claim_lock_test").update();
		try {
			jdbc.sql("CREATE TABLE claim_lock_test.jobrunr_jobs (LIKE jobrunr_jobs INCLUDING ALL)").update();
			var queueStorage = new QueueStorageProvider(storage, dataSource, jobMapper, "claim_lock_test.",
					JobQueue.ESCALATION, queue -> {
					}, null);
			var server = new BackgroundJobServer(queueStorage, jsonMapper, activator,
					BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration());
			var first = new Thread(() -> claim(queueStorage, server, 1), "first-claim");
			var second = new Thread(() -> claim(queueStorage, server, 1), "second-claim");
			try (var holder = dataSource.getConnection()) {
				holder.setAutoCommit(false);
				try (var lock = holder.createStatement()) {
					lock.execute("LOCK TABLE claim_lock_test.jobrunr_jobs IN ACCESS EXCLUSIVE MODE");
				}
				first.start();
				await().atMost(Duration.ofSeconds(30)).until(() -> claimsWaitingInTheDatabase() == 1);
				second.start();
				var threads = java.lang.management.ManagementFactory.getThreadMXBean();
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					var info = threads.getThreadInfo(second.getId());
					assertThat(info.getThreadState()).as("the second claim").isEqualTo(Thread.State.BLOCKED);
					assertThat(info.getLockName()).startsWith(QueueStorageProvider.class.getName() + "@");
					assertThat(info.getLockOwnerId()).isEqualTo(first.getId());
				});
				assertThat(claimsWaitingInTheDatabase()).isEqualTo(1);
				holder.rollback();
			}
			first.join(Duration.ofSeconds(30).toMillis());
			second.join(Duration.ofSeconds(30).toMillis());
			assertThat(first.isAlive() || second.isAlive()).as("both claims done").isFalse();
		}
		finally {
			jdbc.sql("DROP SCHEMA claim_lock_test CASCADE").update();
		}
	}

	private long claimsWaitingInTheDatabase() {
		return jdbc.sql("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'claim_lock_test.jobrunr_jobs'::regclass")
			.query(Long.class)
			.single();
	}

	/** A job of the escalation queue in {@code claim_test.jobrunr_jobs}, {@code ENQUEUED} at {@code updatedAt}. */
	private UUID enqueuedAt(Instant updatedAt) {
		var id = dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, "claim-" + UUID.randomUUID())));
		jdbc.sql("INSERT INTO claim_test.jobrunr_jobs SELECT * FROM jobrunr_jobs WHERE id = ?").param(id.toString()).update();
		jdbc.sql("DELETE FROM jobrunr_jobs WHERE id = ?").param(id.toString()).update();
		jdbc.sql("UPDATE claim_test.jobrunr_jobs SET updatedAt = ? WHERE id = ?")
			.param(Timestamp.from(updatedAt))
			.param(id.toString())
			.update();
		return id;
	}

	private static List<UUID> claim(QueueStorageProvider queueStorage, BackgroundJobServer server, int limit) {
		return queueStorage.getJobsToProcess(server, new AmountRequest("updatedAt:ASC", limit))
			.stream()
			.map(org.jobrunr.jobs.Job::getId)
			.toList();
	}

	/** A published job as a worker holds it once claimed: {@code PROCESSING}, saved, version 2. */
	private org.jobrunr.jobs.Job processing(QueueStorageProvider queueStorage, String key) {
		var published = storage.getJobById(dispatcher.publish(Dispatch.of(new TestJobs.Sleep(JobQueue.ESCALATION, "escalation", 0, key))));
		var states = new java.util.ArrayList<>(published.getJobStates());
		states.add(new org.jobrunr.jobs.states.ProcessingState(UUID.randomUUID(), "test-server"));
		var job = new org.jobrunr.jobs.Job(published.getId(), published.getVersion(), published.getJobDetails(), states,
				new java.util.concurrent.ConcurrentHashMap<>(published.getMetadata()));
		queueStorage.save(job);
		assertThat(storage.getJobById(job.getId()).getState()).isEqualTo(StateName.PROCESSING);
		return job;
	}

	private static java.util.Calendar utc() {
		return java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
	}
}
