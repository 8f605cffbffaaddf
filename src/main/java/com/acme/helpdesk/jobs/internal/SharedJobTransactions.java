package com.acme.helpdesk.jobs.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import jakarta.persistence.EntityManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Runs the jobs whose worker gives them a {@link JobWorker#sharedTransactionKey shared-transaction key} one batch at a
 * time per worker: a job that arrives while a batch of its worker runs waits on its own worker thread, and the jobs
 * waiting then run next, together, in one transaction, ordered by their keys. A lone job runs as its worker runs it.
 * When a shared transaction fails, every job of it runs again alone, on its own worker thread, so a failing job fails
 * only itself (with its own retries). No thread of its own: the waiting worker threads take turns running the batches.
 */
final class SharedJobTransactions {

	private static final Logger log = LoggerFactory.getLogger(SharedJobTransactions.class);

	static final int MAX_TOGETHER = 32;

	private final Supplier<TransactionTemplate> transactions;
	private final Supplier<EntityManagerFactory> entityManagers;
	private final ObservationRegistry observations;
	private final Map<JobWorker<?>, Batches> byWorker = new ConcurrentHashMap<>();

	SharedJobTransactions(Supplier<TransactionTemplate> transactions, Supplier<EntityManagerFactory> entityManagers) {
		this(transactions, entityManagers, ObservationRegistry.NOOP);
	}

	SharedJobTransactions(Supplier<TransactionTemplate> transactions, Supplier<EntityManagerFactory> entityManagers,
			ObservationRegistry observations) {
		this.transactions = transactions;
		this.entityManagers = entityManagers;
		this.observations = observations;
	}

	/** Runs the job, alone or together with others of its worker; returns or throws as the job's own run would. */
	<T extends HelpdeskJob> void run(JobWorker<T> worker, T job, JobRun run) throws Exception {
		var key = worker.sharedTransactionKey(job);
		if (key.isEmpty()) {
			worker.run(job, run);
			return;
		}
		byWorker.computeIfAbsent(worker, w -> new Batches())
			.run(new Waiting<>(worker, job, run, key.get(), observations.getCurrentObservation()));
	}

	/** The jobs of the worker waiting for the next shared transaction. */
	int waiting(JobWorker<?> worker) {
		var batches = byWorker.get(worker);
		return batches == null ? 0 : batches.waiting.size();
	}

	private enum State {
		WAITING, DONE, ALONE
	}

	private static final class Waiting<T extends HelpdeskJob> {

		final JobWorker<T> worker;
		final T job;
		final JobRun run;
		final UUID key;
		/** The job's run ({@code helpdesk.jobs.run}), made current again where another job's thread runs it. */
		final Observation observation;
		final Thread owner = Thread.currentThread();
		volatile State state = State.WAITING;
		Throwable failure;

		Waiting(JobWorker<T> worker, T job, JobRun run, UUID key, Observation observation) {
			this.worker = worker;
			this.job = job;
			this.run = run;
			this.key = key;
			this.observation = observation;
		}

		void run() throws Exception {
			if (observation == null || owner == Thread.currentThread()) {
				worker.run(job, run);
			}
			else {
				observation.scopedChecked(() -> worker.run(job, run));
			}
		}
	}

	private final class Batches {

		private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();
		private final AtomicBoolean running = new AtomicBoolean();

		/**
		 * Queues the job, then parks its thread until the job is done or someone must run the next batch. Only the
		 * threads concerned are woken: those of the batch just run and the one whose job heads the queue (all waiters
		 * at once would wake dozens of threads per batch to find nothing to do).
		 */
		void run(Waiting<?> job) throws Exception {
			waiting.add(job);
			var interrupted = false;
			try {
				while (job.state == State.WAITING) {
					if (running.compareAndSet(false, true)) {
						var batch = next();
						try {
							runBatch(batch);
						}
						finally {
							running.set(false);
							batch.stream().filter(other -> other != job).forEach(other -> LockSupport.unpark(other.owner));
							var head = waiting.peek();
							if (head != null) {
								LockSupport.unpark(head.owner);
							}
						}
					}
					else {
						LockSupport.park(this);
						if (Thread.interrupted()) {
							if (waiting.remove(job)) {
								// not started: the server is stopping, JobRunr fails and retries the job
								throw new InterruptedException();
							}
							interrupted = true;
						}
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
			if (job.state == State.ALONE) {
				job.run();
			}
			else if (job.failure instanceof Exception e) {
				throw e;
			}
			else if (job.failure instanceof Error e) {
				throw e;
			}
		}

		private List<Waiting<?>> next() {
			var batch = new ArrayList<Waiting<?>>();
			for (Waiting<?> job; batch.size() < MAX_TOGETHER && (job = waiting.poll()) != null;) {
				batch.add(job);
			}
			return batch;
		}

		/** Marks every job of the batch {@code DONE} or {@code ALONE}. */
		private void runBatch(List<Waiting<?>> batch) {
			if (batch.size() == 1) {
				var job = batch.get(0);
				try {
					job.run();
				}
				catch (Exception | Error e) {
					job.failure = e;
				}
				job.state = State.DONE;
				return;
			}
			batch.sort(Comparator.comparing(job -> job.key));
			try {
				transactions.get().executeWithoutResult(status -> {
					var entityManager = entityManagers.get() == null ? null
							: EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagers.get());
					for (var job : batch) {
						try {
							job.run();
						}
						catch (RuntimeException e) {
							throw e;
						}
						catch (Exception e) {
							throw new JobFailed(e);
						}
						if (entityManager != null) {
							// each job starts from what the database holds, as in a transaction of its own
							entityManager.flush();
							entityManager.clear();
						}
					}
				});
			}
			catch (RuntimeException | Error e) {
				log.debug("A transaction shared by {} jobs ({}) failed; each runs again alone", batch.size(),
						batch.get(0).run.jobName(), e);
				batch.forEach(job -> job.state = State.ALONE);
				return;
			}
			batch.forEach(job -> job.state = State.DONE);
		}
	}

	private static final class JobFailed extends RuntimeException {

		JobFailed(Exception cause) {
			super(cause);
		}
	}
}
