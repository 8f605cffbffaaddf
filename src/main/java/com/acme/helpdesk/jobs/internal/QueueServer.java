package com.acme.helpdesk.jobs.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.JobSteward;
import org.jobrunr.server.tasks.steward.OnboardNewWorkTask;
import org.jobrunr.utils.mapper.JsonMapper;

import com.acme.helpdesk.jobs.JobQueue;

/**
 * The JobRunr server of one queue (or of the jobs on no queue, {@code queue == null}): worker count = the queue's
 * concurrency, claiming only its queue's jobs through {@link QueueStorageProvider}. {@link #wake()} makes it look for
 * work at once instead of at its next poll, the same way JobRunr does when one of its workers frees up.
 */
final class QueueServer extends BackgroundJobServer {

	private final JobQueue queue;
	private final QueueStorageProvider storage;
	private final int workerCount;
	private final Executor wakers;
	private final AtomicBoolean waking = new AtomicBoolean();
	private final AtomicLong finished = new AtomicLong();
	private final Runnable onJobFinished;
	private volatile boolean stoppedByItself;
	private volatile boolean stoppingForGood;

	QueueServer(JobQueue queue, QueueStorageProvider storage, JsonMapper jsonMapper, JobActivator activator,
			BackgroundJobServerConfiguration configuration, int workerCount, Executor wakers, Runnable onJobFinished) {
		super(storage, jsonMapper, activator, configuration);
		this.queue = queue;
		this.storage = storage;
		this.workerCount = workerCount;
		this.wakers = wakers;
		this.onJobFinished = onJobFinished;
	}

	JobQueue queue() {
		return queue;
	}

	/**
	 * JobRunr itself stopped this server (its heartbeat or its steward could not reach the database), and nobody
	 * started it again.
	 */
	boolean stoppedByItself() {
		return stoppedByItself;
	}

	/** JobRunr calls this when it gives up on the server; {@link QueueServers} restarts it. */
	@Override
	public void stop() {
		super.stop();
		if (!stoppingForGood) {
			stoppedByItself = true;
		}
	}

	/** Starts the server again after JobRunr stopped it. */
	void restart() {
		stoppedByItself = false;
		start();
	}

	/** Stops the server as the process shuts down. */
	void stopForGood() {
		stoppingForGood = true;
		super.stop();
	}

	/**
	 * Claims find no job from now on, while the server keeps running: it still signals it is alive, refreshes its
	 * running jobs (so no other server fails them as orphaned) and does a master's work. Returns once a claim under way
	 * is over.
	 */
	void takeNoMoreJobs() {
		storage.refuseClaims();
	}

	/**
	 * Jobs claimed for this server whose run has not ended: waiting for a worker, running, or saving their outcome.
	 * Every job a claim hands to JobRunr goes to {@link #processJob} and its performer ends with one
	 * {@code notifyThreadIdle}, whatever happened to it.
	 */
	long jobsInHand() {
		return storage.claimed() - finished.get();
	}

	@Override
	protected JobSteward createJobSteward() {
		return new WakeableJobSteward(this);
	}

	/**
	 * A job of this queue was published (committed): make sure a claim starts after it, unless every worker is busy
	 * (a worker that frees up claims by itself). JobRunr's claim takes a lock with {@code tryLock}; when another claim
	 * holds it (and may have started before the publish), this tries again until a claim started after the publish.
	 */
	void wake() {
		storage.published.incrementAndGet();
		if (waking.compareAndSet(false, true)) {
			wakers.execute(this::drain);
		}
	}

	private void drain() {
		try {
			var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (needsClaim() && System.nanoTime() < deadline) {
				var target = storage.published.get();
				((WakeableJobSteward) getJobSteward()).onboardNow();
				if (storage.claimedUpTo.get() < target) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
				}
			}
		}
		catch (RuntimeException e) {
			// the next poll claims the job
		}
		finally {
			waking.set(false);
		}
		if (needsClaim() && waking.compareAndSet(false, true)) {
			wakers.execute(this::drain);
		}
	}

	private boolean needsClaim() {
		return storage.claimedUpTo.get() < storage.published.get() && isRunning()
				&& getJobSteward().getOccupiedWorkerCount() < workerCount;
	}

	private final class WakeableJobSteward extends JobSteward {

		WakeableJobSteward(BackgroundJobServer server) {
			super(server);
		}

		@Override
		public void notifyThreadIdle() {
			finished.incrementAndGet();
			onJobFinished.run();
			super.notifyThreadIdle();
		}

		void onboardNow() {
			getTaskOfType(OnboardNewWorkTask.class).runTaskThreadSafe();
		}
	}
}
