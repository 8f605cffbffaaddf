package com.acme.helpdesk.jobs;

import java.util.EnumMap;
import java.util.Map;

/** The effective settings of every queue: the defaults of {@link JobQueue} with configuration applied. */
public final class JobQueues {

	private final Map<JobQueue, QueueSettings> settings = new EnumMap<>(JobQueue.class);

	public JobQueues(Map<JobQueue, QueueSettings> settings) {
		for (var queue : JobQueue.values()) {
			this.settings.put(queue, settings.getOrDefault(queue, queue.defaults()));
		}
	}

	public QueueSettings settings(JobQueue queue) {
		return settings.get(queue);
	}
}
