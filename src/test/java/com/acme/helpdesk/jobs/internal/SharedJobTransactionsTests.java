package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.persistence.EntityManagerFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.assignment.AssignmentJob;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.notifications.NotificationJob;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/**
 * Jobs of a worker with shared-transaction keys, run from many threads as a queue's workers run them, against the test
 * database: a probe row per run records the transaction it ran in.
 */
@HelpdeskTest
class SharedJobTransactionsTests {

	record Probe(UUID id, boolean fails) implements HelpdeskJob {

		@Override
		public JobQueue queue() {
			return JobQueue.ASSIGNMENT;
		}

		@Override
		public String jobName() {
			return "probe";
		}
	}

	/** Inserts the probe's row in the caller's transaction (or one of its own); holds or fails where told. */
	final class ProbeWorker implements JobWorker<Probe> {

		final boolean shares;
		volatile UUID holdOn;
		final CountDownLatch held = new CountDownLatch(1);
		final CountDownLatch release = new CountDownLatch(1);
		final Set<Long> runnerThreads = ConcurrentHashMap.newKeySet();

		ProbeWorker(boolean shares) {
			this.shares = shares;
		}

		@Override
		public Class<Probe> jobType() {
			return Probe.class;
		}

		@Override
		public Optional<UUID> sharedTransactionKey(Probe job) {
			return shares ? Optional.of(job.id()) : Optional.empty();
		}

		@Override
		public void run(Probe job, JobRun run) throws Exception {
			runnerThreads.add(Thread.currentThread().getId());
			transactions.executeWithoutResult(status -> {
				jdbc.sql("""
						INSERT INTO shared_job_probe (job_id, transaction_id, position)
						VALUES (?, txid_current(), (SELECT count(*) FROM shared_job_probe WHERE transaction_id = txid_current()))""")
					.param(job.id())
					.update();
				if (job.id().equals(holdOn)) {
					held.countDown();
					try {
						release.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
				}
				if (job.fails()) {
					throw new IllegalStateException("probe " + job.id() + " fails");
				}
			});
		}
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	EntityManagerFactory entityManagers;

	@Autowired
	List<JobWorker<?>> workers;

	@Autowired
	TestApi api;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	private double pushedNotifications() {
		return meters.counter("helpdesk.realtime.notifications.pushed").count();
	}

	SharedJobTransactions shared;

	@BeforeEach
	void setUp() {
		jdbc.sql("""
				CREATE TABLE IF NOT EXISTS shared_job_probe (job_id uuid NOT NULL, transaction_id bigint NOT NULL,
				    position bigint NOT NULL)""").update();
		jdbc.sql("TRUNCATE shared_job_probe").update();
		shared = new SharedJobTransactions(() -> transactions, () -> entityManagers);
	}

	@Test
	void jobsThatQueueUpBehindARunningOneShareTheNextTransactionInTheOrderOfTheirKeys() throws Exception {
		var worker = new ProbeWorker(true);
		var first = new Probe(UUID.randomUUID(), false);
		var runs = new ArrayList<CompletableFuture<Void>>();
		runs.add(startHeld(worker, first));
		var queued = new ArrayList<Probe>();
		for (int i = 0; i < 10; i++) {
			var job = new Probe(UUID.randomUUID(), false);
			queued.add(job);
			runs.add(runOnItsOwnThread(worker, job));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> shared.waiting(worker) == 10);
		worker.release.countDown();
		CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

		assertThat(probeRows()).as("each job ran once").hasSize(11);
		var transactionsOfQueued = queued.stream().map(job -> transactionOf(job.id())).distinct().toList();
		assertThat(transactionsOfQueued).as("the ten queued jobs share one transaction").hasSize(1);
		assertThat(transactionsOfQueued.get(0)).isNotEqualTo(transactionOf(first.id()));
		var inKeyOrder = queued.stream().map(Probe::id).sorted().toList();
		assertThat(jdbc.sql("SELECT job_id FROM shared_job_probe WHERE transaction_id = ? ORDER BY position")
			.param(transactionsOfQueued.get(0))
			.query(UUID.class)
			.list()).isEqualTo(inKeyOrder);
		assertThat(worker.runnerThreads).as("one worker thread ran the shared transaction").hasSize(2);
	}

	@Test
	void aFailingJobFailsOnlyItselfTheOthersRunAgainAloneAndCommitOnce() throws Exception {
		var worker = new ProbeWorker(true);
		var first = new Probe(UUID.randomUUID(), false);
		var firstRun = startHeld(worker, first);
		var good = new ArrayList<Probe>();
		var goodRuns = new ArrayList<CompletableFuture<Void>>();
		for (int i = 0; i < 5; i++) {
			var job = new Probe(UUID.randomUUID(), false);
			good.add(job);
			goodRuns.add(runOnItsOwnThread(worker, job));
		}
		var failing = new Probe(UUID.randomUUID(), true);
		var failingRun = runOnItsOwnThread(worker, failing);
		await().atMost(Duration.ofSeconds(30)).until(() -> shared.waiting(worker) == 6);
		worker.release.countDown();

		firstRun.get(30, TimeUnit.SECONDS);
		CompletableFuture.allOf(goodRuns.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		assertThat(failingRun).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withMessageContaining("probe " + failing.id() + " fails");

		assertThat(probeRows()).as("the failing job's row rolled back, every other one committed once").hasSize(6);
		assertThat(good.stream().map(job -> transactionOf(job.id())).distinct())
			.as("after the shared transaction failed, each ran alone")
			.hasSize(5);
	}

	@Test
	void aWaitingJobWhoseWorkerIsInterruptedIsNotRunAndFailsForItsRetry() throws Exception {
		var worker = new ProbeWorker(true);
		var first = new Probe(UUID.randomUUID(), false);
		var firstRun = startHeld(worker, first);
		var stopped = new Probe(UUID.randomUUID(), false);
		var stoppedRun = start(worker, stopped, probeRun(stopped));
		await().atMost(Duration.ofSeconds(30)).until(() -> shared.waiting(worker) == 1);

		stoppedRun.thread().interrupt(); // as JobRunr does when its server stops
		assertThat(stoppedRun.result()).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(InterruptedException.class);
		assertThat(shared.waiting(worker)).isZero();
		worker.release.countDown();
		firstRun.get(30, TimeUnit.SECONDS);
		assertThat(probeRows()).containsExactly(first.id());
	}

	@Test
	void aWorkerWithoutKeysRunsEveryJobAloneAndAtOnce() throws Exception {
		var worker = new ProbeWorker(false);
		var first = new Probe(UUID.randomUUID(), false);
		var firstRun = startHeld(worker, first);
		var second = new Probe(UUID.randomUUID(), false);
		runOnItsOwnThread(worker, second).get(30, TimeUnit.SECONDS);
		assertThat(firstRun).as("the second job did not wait for the first").isNotDone();
		worker.release.countDown();
		firstRun.get(30, TimeUnit.SECONDS);
		assertThat(transactionOf(first.id())).isNotEqualTo(transactionOf(second.id()));
	}

	@Test
	void assignmentsFromManyWorkersAtOnceBalanceTheLoadExactlyAndAJobRunTwiceAssignsOnce() throws Exception {
		@SuppressWarnings("unchecked")
		var assign = (JobWorker<AssignmentJob>) workers.stream()
			.filter(worker -> worker.jobType() == AssignmentJob.class)
			.findFirst()
			.orElseThrow();
		var merchant = api.newMerchant();
		var category = api.post("/api/v1/categories", merchant.adminKey(),
				Map.of("name", "Support", "routing", Map.of("strategy", "LOAD_BALANCED"))).body().get("id").asText();
		var agents = new ArrayList<UUID>();
		for (int i = 0; i < 3; i++) {
			agents.add(UUID.fromString(api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "agent" + i, "email",
					"agent" + i + "-" + UUID.randomUUID() + "@example.com", "capacity", 100, "availability", "ONLINE",
					"categoryIds", List.of(category))).body().get("id").asText()));
		}
		var tickets = new ArrayList<UUID>();
		for (int i = 0; i < 30; i++) {
			tickets.add(UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Ticket " + i,
					"requester", Map.of("email", "c@example.com"), "categoryId", category)).body().get("id").asText()));
		}

		// every ticket's job twice (a re-run, with the same key), all at once, as 60 workers of the queue would
		var runs = new ArrayList<CompletableFuture<Void>>();
		for (var ticket : tickets) {
			for (int attempt = 1; attempt <= 2; attempt++) {
				runs.add(runOnItsOwnThread(assign, new AssignmentJob(merchant.id(), ticket),
						new JobRun(UUID.randomUUID(), "test-assign:" + ticket, JobQueue.ASSIGNMENT, "assign", attempt)));
			}
		}
		CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

		assertThat(jdbc.sql("SELECT count(*) FROM ticket WHERE merchant_id = ? AND assignee_id IS NOT NULL")
			.param(merchant.id())
			.query(Long.class)
			.single()).isEqualTo(30);
		assertThat(agents).as("loads: each ticket counted once, spread evenly")
			.allSatisfy(agent -> assertThat(jdbc.sql("SELECT load FROM agent WHERE id = ?").param(agent).query(Integer.class)
				.single()).isEqualTo(10));
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE '%.TicketAssigned' AND serialized_event LIKE ?")
			.param("%" + merchant.id() + "%")
			.query(Long.class)
			.single()).as("TicketAssigned has no after-commit listener for a first automatic assignment").isZero();
		assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE merchant_id = ? AND type = 'TICKET_ASSIGNED' AND channel = 'IN_APP'")
			.param(merchant.id())
			.query(Long.class)
			.single()).as("one assignment notification per ticket, committed with its assignment").isEqualTo(30);
	}

	@Test
	void inAppDeliveriesFromManyWorkersAtOnceDeliverEachNotificationOnce() throws Exception {
		@SuppressWarnings("unchecked")
		var deliver = (JobWorker<NotificationJob.Deliver>) workers.stream()
			.filter(worker -> worker.jobType() == NotificationJob.Deliver.class)
			.findFirst()
			.orElseThrow();
		var merchant = api.newMerchant();
		var agent = api.post("/api/v1/agents", merchant.adminKey(), Map.of("name", "agent", "email",
				"agent-" + UUID.randomUUID() + "@example.com", "capacity", 100, "availability", "ONLINE")).body().get("id")
			.asText();
		for (int i = 0; i < 10; i++) {
			var ticket = api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Ticket " + i, "requester",
					Map.of("email", "c@example.com"))).body().get("id").asText();
			api.post("/api/v1/tickets/" + ticket + "/assignment", merchant.adminKey(), Map.of("agentId", agent));
		}
		// the assignment notifications (in-app and mail) are stored by their listener; no job server runs here
		await().atMost(Duration.ofSeconds(30)).until(() -> inApp(merchant.id()).size() == 10);

		var pushedBefore = pushedNotifications();
		var runs = new ArrayList<CompletableFuture<Void>>();
		for (var notification : inApp(merchant.id())) {
			for (int attempt = 1; attempt <= 2; attempt++) {
				runs.add(runOnItsOwnThread(deliver, new NotificationJob.Deliver(merchant.id(), List.of(notification), true),
						new JobRun(UUID.randomUUID(), "test-deliver:" + notification, JobQueue.NOTIFICATION, "notification",
								attempt)));
			}
		}
		CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

		assertThat(jdbc.sql("SELECT state FROM notification WHERE merchant_id = ? AND channel = 'IN_APP'")
			.param(merchant.id())
			.query(String.class)
			.list()).hasSize(10).containsOnly("SENT");
		assertThat(pushedNotifications() - pushedBefore).as("one live push per notification, though each delivery ran twice")
			.isEqualTo(10);
	}

	private List<UUID> inApp(UUID merchantId) {
		return jdbc.sql("SELECT id FROM notification WHERE merchant_id = ? AND channel = 'IN_APP'")
			.param(merchantId)
			.query(UUID.class)
			.list();
	}

	/** Starts the job, which the worker holds until its {@code release} opens; answers once it is held. */
	private CompletableFuture<Void> startHeld(ProbeWorker worker, Probe job) throws InterruptedException {
		worker.holdOn = job.id();
		var run = runOnItsOwnThread(worker, job);
		assertThat(worker.held.await(30, TimeUnit.SECONDS)).isTrue();
		return run;
	}

	private CompletableFuture<Void> runOnItsOwnThread(ProbeWorker worker, Probe job) {
		return runOnItsOwnThread(worker, job, probeRun(job));
	}

	private static JobRun probeRun(Probe job) {
		return new JobRun(UUID.randomUUID(), "probe:" + job.id(), JobQueue.ASSIGNMENT, "probe", 1);
	}

	private <T extends HelpdeskJob> CompletableFuture<Void> runOnItsOwnThread(JobWorker<T> worker, T job, JobRun run) {
		return start(worker, job, run).result();
	}

	record Running(Thread thread, CompletableFuture<Void> result) {
	}

	/** Runs the job on a thread of its own, as a worker thread of its queue would. */
	private <T extends HelpdeskJob> Running start(JobWorker<T> worker, T job, JobRun run) {
		var result = new CompletableFuture<Void>();
		var thread = new Thread(() -> {
			try {
				shared.run(worker, job, run);
				result.complete(null);
			}
			catch (Throwable e) {
				result.completeExceptionally(e);
			}
		});
		thread.start();
		return new Running(thread, result);
	}

	private List<UUID> probeRows() {
		return jdbc.sql("SELECT job_id FROM shared_job_probe").query(UUID.class).list();
	}

	private long transactionOf(UUID jobId) {
		return jdbc.sql("SELECT transaction_id FROM shared_job_probe WHERE job_id = ?").param(jobId).query(Long.class).single();
	}
}
