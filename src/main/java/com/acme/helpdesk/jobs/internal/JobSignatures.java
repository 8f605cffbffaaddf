package com.acme.helpdesk.jobs.internal;

import java.util.List;

import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Builds the job details of a queued job. JobRunr stores {@code jobSignature} as
 * {@code <handler class>.run(java.lang.String, <job record class>)}, so the handler class (one per queue) makes the
 * queue selectable: {@code split_part(jobSignature, '(', 1) = '<handler class>.run'} (indexed).
 */
final class JobSignatures {

	/** Every queue handler's class name starts with this; jobs outside it are on no queue. */
	static final String ANY_QUEUE_PREFIX = QueueHandler.class.getName() + "$";

	private JobSignatures() {
	}

	static JobDetails details(JobQueue queue, String idempotencyKey, HelpdeskJob job) {
		return new JobDetails(QueueHandler.handlerClass(queue).getName(), null, QueueHandler.METHOD,
				List.of(new JobParameter(String.class, idempotencyKey), new JobParameter(HelpdeskJob.class, job)));
	}

	/** The SQL condition on {@code jobSignature} selecting the jobs of {@code queue}, or of no queue for {@code null}. */
	static String condition(JobQueue queue) {
		if (queue == null) {
			return "jobSignature NOT LIKE '" + like(ANY_QUEUE_PREFIX) + "%'";
		}
		// matches the partial index jobrunr_enqueued_queue_idx, which also gives the order by updatedAt
		return "split_part(jobSignature, '(', 1) = '"
				+ (QueueHandler.handlerClass(queue).getName() + "." + QueueHandler.METHOD).replace("'", "''") + "'";
	}

	private static String like(String literal) {
		// class names hold no quote; escape LIKE's wildcards and the default escape character
		return literal.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%").replace("'", "''");
	}
}
