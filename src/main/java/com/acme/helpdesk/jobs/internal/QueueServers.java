package com.acme.helpdesk.jobs.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.Paging;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.shared.ShutdownOrder;

/**
 * The JobRunr servers of this process: one per queue (worker count = the queue's concurrency) and one for jobs on no
 * queue (recurring maintenance jobs), all over the one shared storage and all with the same, explicit filters. None
 * in run mode {@code api}. They show in the dashboard as {@code <queue>@<host>}.
 */
public class QueueServers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(QueueServers.class);

	/** How this process runs its servers: whether at all, for which queues, and JobRunr's server settings for each. */
	record ServerSettings(boolean enabled, java.util.Set<JobQueue> served, Duration pollInterval,
			int serverTimeoutMultiplicand, int defaultConcurrency, Duration deleteSucceededAfter,
			Duration permanentlyDeleteDeletedAfter, Duration shutdownGrace) {

		/** JobRunr's: a server whose last heartbeat is older is gone, and its jobs still processing are orphaned. */
		Duration serverTimeout() {
			return pollInterval.multipliedBy(serverTimeoutMultiplicand);
		}
	}

	/**
	 * What JobRunr's own stop waits for running jobs before interrupting them, after {@link ServerSettings#shutdownGrace}
	 * has passed.
	 */
	private static final Duration INTERRUPT_AFTER_GRACE = Duration.ofSeconds(1);
	/** The most scheduled jobs one {@link #dueAt} pass enqueues (the master's poll takes any beyond). */
	private static final int DUE_PAGE = 1000;

	private final ServerSettings settings;
	private final JobQueues queues;
	private final StorageProvider storage;
	private final DataSource dataSource;
	private final JobMapper jobMapper;
	private final String tablePrefix;
	private final JsonMapper jsonMapper;
	private final JobActivator activator;
	private final List<JobFilter> filters;
	private final Map<JobQueue, QueueServer> byQueue = new EnumMap<>(JobQueue.class);
	private final List<QueueServer> servers = new ArrayList<>();
	private ExecutorService wakers;
	private ScheduledExecutorService reaper;
	private JobNotifications notifications;
	private final Object jobFinished = new Object();
	private SucceededJobWrites succeeded;
	private volatile boolean running;
	/** The {@link #dueAt} passes scheduled, by their 10-ms slot. */
	private final Set<Long> duePasses = ConcurrentHashMap.newKeySet();

	QueueServers(ServerSettings settings, JobQueues queues, StorageProvider storage, DataSource dataSource, JobMapper jobMapper,
			String tablePrefix, JsonMapper jsonMapper, JobActivator activator, List<JobFilter> filters) {
		this.settings = settings;
		this.queues = queues;
		this.storage = storage;
		this.dataSource = dataSource;
		this.jobMapper = jobMapper;
		this.tablePrefix = tablePrefix;
		this.jsonMapper = jsonMapper;
		this.activator = activator;
		this.filters = filters;
	}

	@Override
	public synchronized void start() {
		if (running || !settings.enabled()) {
			running = true;
			return;
		}
		wakers = Executors.newCachedThreadPool(runnable -> {
			var thread = new Thread(runnable, "queue-waker");
			thread.setDaemon(true);
			return thread;
		});
		succeeded = new SucceededJobWrites(dataSource, jobMapper, tablePrefix).start();
		// before announcing: servers of a process that died are gone now rather than once JobRunr's check runs,
		// one server timeout after start, and until then none of this process's servers could become master
		removeTimedOutServers();
		var queuesByPriority = new ArrayList<>(List.of(JobQueue.values()));
		queuesByPriority.sort(java.util.Comparator.comparingInt(queue -> queues.settings(queue).priority()));
		queuesByPriority.retainAll(settings.served());
		for (var queue : queuesByPriority) {
			var server = server(queue, queues.settings(queue).concurrency());
			byQueue.put(queue, server);
		}
		var first = server(null, settings.defaultConcurrency());
		// one server announces itself first, so it alone becomes the cluster's master when none runs yet
		first.start();
		var deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
		while (first.isUnAnnounced() && System.nanoTime() < deadline) {
			java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
		}
		servers.stream().filter(server -> server != first).forEach(QueueServer::start);
		notifications = new JobNotifications(dataSource, this::wake);
		notifications.start();
		reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
			var thread = new Thread(runnable, "job-server-reaper");
			thread.setDaemon(true);
			return thread;
		});
		var interval = settings.pollInterval().toMillis();
		reaper.scheduleWithFixedDelay(() -> {
			restartStoppedServers();
			removeTimedOutServers();
		}, interval, interval, TimeUnit.MILLISECONDS);
		running = true;
		log.info("Started {} job servers: {}", servers.size(), servers.stream()
			.map(server -> QueueMetrics.name(server.queue()) + "=" + server.getWorkDistributionStrategy().getWorkerCount())
			.toList());
	}

	private QueueServer server(JobQueue queue, int workers) {
		var configuration = BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
			.andName(QueueMetrics.name(queue) + "@" + hostName())
			// platform threads on every JDK: from Java 21 on, JobRunr's default is virtual threads, all of them carried by
			// as many threads as there are cores: under a flood of requests the jobs then mostly waited for the flood to pass
			.andBackgroundJobServerWorkerPolicy(
					new DefaultBackgroundJobServerWorkerPolicy(workers, BackgroundJobServerThreadType.PlatformThreads))
			.andPollInterval(settings.pollInterval())
			.andServerTimeoutPollIntervalMultiplicand(settings.serverTimeoutMultiplicand())
			.andDeleteSucceededJobsAfter(settings.deleteSucceededAfter())
			.andPermanentlyDeleteDeletedJobsAfter(settings.permanentlyDeleteDeletedAfter())
			.andInterruptJobsAwaitDurationOnStopBackgroundJobServer(INTERRUPT_AFTER_GRACE);
		var decorated = new QueueStorageProvider(storage, dataSource, jobMapper, tablePrefix, queue, this::wake, succeeded);
		var server = new QueueServer(queue, decorated, jsonMapper, activator, configuration, workers, wakers,
				this::jobFinished);
		server.setJobFilters(filters);
		servers.add(server);
		return server;
	}

	/** A job of {@code queue} was published: this process's server of that queue looks for it at once. */
	void wake(JobQueue queue) {
		if (!running || queue == null) {
			return;
		}
		var server = byQueue.get(queue);
		if (server != null) {
			server.wake();
		}
	}

	/**
	 * A delayed job due at {@code startAt} was published (committed). At that time this process enqueues the scheduled
	 * jobs then due, as JobRunr's master does at its polls (only due ones: {@link QueueStorageProvider#getScheduledJobs}),
	 * wakes its own servers of their queues and tells the other processes ({@code ready}); without this a delayed job
	 * started at the master's next poll, up to a poll interval late. The master's poll stays the fallback (this process
	 * may stop first, and in run mode {@code api} it runs no servers and leaves the job to the master). Jobs due further
	 * ahead than two poll intervals are left to the master too.
	 */
	void dueAt(Instant startAt, Consumer<Set<JobQueue>> ready) {
		var scheduler = reaper;
		if (!running || scheduler == null) {
			return;
		}
		if (Duration.between(Instant.now(), startAt).compareTo(settings.pollInterval().multipliedBy(2)) > 0) {
			return;
		}
		// one pass for every job due in the same 10 ms
		var pass = Math.floorDiv(startAt.toEpochMilli(), 10) + 1;
		if (duePasses.add(pass)) {
			try {
				scheduler.schedule(() -> {
					duePasses.remove(pass);
					ready.accept(enqueueDue());
				}, Math.max(0, pass * 10 - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException e) {
				// stopping: the master's poll enqueues the job
				duePasses.remove(pass);
			}
		}
	}

	/** Enqueues the scheduled jobs due now and wakes this process's servers of their queues; answers those queues. */
	private Set<JobQueue> enqueueDue() {
		var queues = EnumSet.noneOf(JobQueue.class);
		try {
			var jobs = storage.getScheduledJobs(Instant.now(), Paging.AmountBasedList.ascOnUpdatedAt(DUE_PAGE));
			for (var job : jobs) {
				job.enqueue();
				var queue = QueueHandler.queueOf(job);
				if (queue != null) {
					queues.add(queue);
				}
			}
			if (!jobs.isEmpty()) {
				try {
					storage.save(jobs);
				}
				catch (ConcurrentJobModificationException e) {
					// the master (or another process's pass) enqueued some of them meanwhile
				}
			}
			queues.forEach(this::wake);
		}
		catch (RuntimeException e) {
			log.debug("Enqueueing the due scheduled jobs failed; the master's next poll does it", e);
		}
		return queues;
	}

	/** The job servers running in this process (none in run mode {@code api}). */
	public int serverCount() {
		return servers.size();
	}

	/**
	 * Removes the servers whose last heartbeat is older than JobRunr's server timeout, as JobRunr's own check does (it
	 * runs once per server timeout); a master among them is then replaced at the next heartbeat instead of up to one
	 * more server timeout later. Skipped after this thread was held up (a long pause of the whole process), when the
	 * heartbeats of this process's own servers may be as late.
	 */
	private void removeTimedOutServers() {
		var now = System.nanoTime();
		var late = lastReap != 0 && now - lastReap > settings.pollInterval().multipliedBy(2).toNanos();
		lastReap = now;
		if (late) {
			return;
		}
		try {
			var removed = storage.removeTimedOutBackgroundJobServers(Instant.now().minus(settings.serverTimeout()));
			if (removed > 0) {
				log.info("Removed {} job servers that sent no heartbeat for {}", removed, settings.serverTimeout());
			}
		}
		catch (RuntimeException e) {
			log.debug("Could not look for timed-out job servers", e);
		}
	}

	private long lastReap;

	/**
	 * JobRunr stops a server for good when its heartbeat fails once ({@code ServerZooKeeper}: "An unrecoverable error
	 * occurred") or its steward fails six times running, so a database away for one poll interval stops them all.
	 * Started again here at every poll interval until the database answers; jobs a stopped server left processing
	 * are failed as orphaned by the master one server timeout later and retried.
	 */
	private synchronized void restartStoppedServers() {
		if (!running) {
			return;
		}
		for (var server : servers) {
			if (server.stoppedByItself()) {
				log.warn("Job server {} stopped itself (the database away?): starting it again", server);
				try {
					server.restart();
				}
				catch (RuntimeException e) {
					log.warn("Starting job server {} again failed: {}", server, e.toString());
				}
			}
		}
	}

	/** The servers of this process that JobRunr stopped by itself and {@link #restartStoppedServers} did not yet start. */
	long stoppedServers() {
		return servers.stream().filter(QueueServer::stoppedByItself).count();
	}

	private void jobFinished() {
		synchronized (jobFinished) {
			jobFinished.notifyAll();
		}
	}

	private long jobsInHand() {
		return servers.stream().mapToLong(QueueServer::jobsInHand).sum();
	}

	/**
	 * Stops taking jobs, gives the running ones {@link ServerSettings#shutdownGrace} to finish, then stops the servers
	 * (interrupting what still runs). JobRunr's own stop would wait with the server's lifecycle locked, which stops its
	 * heartbeats of the running jobs: a grace longer than the server timeout would let another process's master fail
	 * them as orphaned and start them again. So the servers keep running through the grace, only finding no jobs.
	 */
	@Override
	public synchronized void stop() {
		if (!running) {
			return;
		}
		running = false;
		if (notifications != null) {
			notifications.stop();
			notifications = null;
		}
		if (servers.isEmpty()) {
			return;
		}
		servers.forEach(QueueServer::takeNoMoreJobs);
		var deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
		var inHand = jobsInHand();
		log.info("Job servers take no more jobs; {} running, waiting up to {} for them", inHand, settings.shutdownGrace());
		try {
			synchronized (jobFinished) {
				while ((inHand = jobsInHand()) > 0 && deadline - System.nanoTime() > 0) {
					TimeUnit.NANOSECONDS.timedWait(jobFinished, deadline - System.nanoTime());
				}
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		if (inHand > 0) {
			log.warn("{} jobs still running after {}: interrupting them (they are retried)", inHand,
					settings.shutdownGrace());
		}
		if (reaper != null) {
			reaper.shutdownNow();
			reaper = null;
		}
		var stopping = servers.stream().map(server -> {
			var thread = new Thread(() -> {
				try {
					server.stopForGood();
				}
				catch (RuntimeException e) {
					log.warn("Stopping {} failed", server, e);
				}
			}, "stop-" + QueueMetrics.name(server.queue()));
			thread.start();
			return thread;
		}).toList();
		for (var thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		servers.clear();
		byQueue.clear();
		if (succeeded != null) {
			try {
				succeeded.close();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			succeeded = null;
		}
		if (wakers != null) {
			wakers.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return ShutdownOrder.JOB_SERVERS;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
		}
		catch (java.io.IOException e) {
			return "pid-" + ProcessHandle.current().pid();
		}
	}
}
