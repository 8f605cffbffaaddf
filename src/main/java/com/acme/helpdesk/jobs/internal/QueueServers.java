package com.acme.helpdesk.jobs.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;

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
			Duration permanentlyDeleteDeletedAfter, Duration interruptJobsAwait) {
	}

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
	private JobNotifications notifications;
	private SucceededJobWrites succeeded;
	private volatile boolean running;

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
		running = true;
		log.info("Started {} job servers: {}", servers.size(), servers.stream()
			.map(server -> QueueMetrics.name(server.queue()) + "=" + server.getWorkDistributionStrategy().getWorkerCount())
			.toList());
	}

	private QueueServer server(JobQueue queue, int workers) {
		var configuration = BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
			.andName(QueueMetrics.name(queue) + "@" + hostName())
			.andWorkerCount(workers)
			.andPollInterval(settings.pollInterval())
			.andServerTimeoutPollIntervalMultiplicand(settings.serverTimeoutMultiplicand())
			.andDeleteSucceededJobsAfter(settings.deleteSucceededAfter())
			.andPermanentlyDeleteDeletedJobsAfter(settings.permanentlyDeleteDeletedAfter())
			.andInterruptJobsAwaitDurationOnStopBackgroundJobServer(settings.interruptJobsAwait());
		var decorated = new QueueStorageProvider(storage, dataSource, jobMapper, tablePrefix, queue, this::wake, succeeded);
		var server = new QueueServer(queue, decorated, jsonMapper, activator, configuration, workers, wakers);
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

	/** The job servers running in this process (none in run mode {@code api}). */
	public int serverCount() {
		return servers.size();
	}

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
		servers.parallelStream().forEach(server -> {
			try {
				server.stop();
			}
			catch (RuntimeException e) {
				log.warn("Stopping {} failed", server, e);
			}
		});
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
		// after the web server has started, stopped before it and before the datasource goes away
		return SmartLifecycle.DEFAULT_PHASE - 1024;
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
