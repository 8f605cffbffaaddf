package com.acme.helpdesk.jobs.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jobrunr.server.runner.ThreadLocalJobContext;
import org.springframework.beans.factory.ObjectProvider;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;

/**
 * The JobRunr entry point of one queue. Every job of queue X is stored as {@code X-handler.run(key, job)}, so its
 * {@code jobSignature} names the queue and the queue's server claims exactly its own jobs. The handler hands the job
 * to the {@link JobWorker} of its type, through {@link SharedJobTransactions} (alone, or together with others when the
 * worker allows it).
 */
public abstract class QueueHandler {

	/** The method every job calls; its parameter types are part of the stored job signature. */
	static final String METHOD = "run";

	private final JobQueue queue;
	private final ObjectProvider<JobWorker<?>> workerBeans;
	private final SharedJobTransactions sharedTransactions;
	private final JobTracing tracing;
	private volatile Map<Class<?>, JobWorker<?>> workers;

	QueueHandler(JobQueue queue, ObjectProvider<JobWorker<?>> workerBeans, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		this.queue = queue;
		this.workerBeans = workerBeans;
		this.sharedTransactions = sharedTransactions;
		this.tracing = tracing;
	}

	JobQueue queue() {
		return queue;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	protected final void execute(String idempotencyKey, HelpdeskJob job) throws Exception {
		JobWorker worker = workers().get(job.getClass());
		if (worker == null) {
			throw new IllegalStateException("No JobWorker bean runs " + job.getClass().getName());
		}
		UUID jobId = null;
		int attempt = 1;
		long failuresBeforeRequeue = 0;
		var context = ThreadLocalJobContext.hasJobContext() ? ThreadLocalJobContext.getJobContext() : null;
		if (context != null) {
			jobId = context.getJobId();
			Object requeued = context.getMetadata(DeadLetters.FAILURES_BEFORE_REQUEUE);
			failuresBeforeRequeue = DeadLetters.failuresBeforeRequeue(requeued);
			attempt = (int) (context.amountOfFailures() - failuresBeforeRequeue) + 1;
		}
		var run = new JobRun(jobId, idempotencyKey, queue, job.jobName(), attempt, failuresBeforeRequeue > 0);
		tracing.run(context, queue, job.jobName(), () -> sharedTransactions.run(worker, job, run));
	}

	private Map<Class<?>, JobWorker<?>> workers() {
		var known = workers;
		if (known == null) {
			var map = new HashMap<Class<?>, JobWorker<?>>();
			workerBeans.orderedStream().forEach(worker -> {
				var previous = map.put(worker.jobType(), worker);
				if (previous != null) {
					throw new IllegalStateException("Two JobWorkers run " + worker.jobType().getName() + ": "
							+ previous.getClass().getName() + " and " + worker.getClass().getName());
				}
			});
			workers = known = Map.copyOf(map);
		}
		return known;
	}

	static Class<? extends QueueHandler> handlerClass(JobQueue queue) {
		return switch (queue) {
			case SLA_MONITOR -> SlaMonitor.class;
			case ESCALATION -> Escalation.class;
			case ASSIGNMENT -> Assignment.class;
			case NOTIFICATION -> Notification.class;
			case CONTEXT_ENRICHMENT -> ContextEnrichment.class;
			case SURVEY_TRIGGER -> SurveyTrigger.class;
			case ANALYTICS_UPDATE -> AnalyticsUpdate.class;
		};
	}

	/** The queue of a stored job, from the class named in its job details; {@code null} for jobs on no queue. */
	static JobQueue queueOf(org.jobrunr.jobs.AbstractJob job) {
		var className = job.getJobDetails().getClassName();
		for (var queue : JobQueue.values()) {
			if (handlerClass(queue).getName().equals(className)) {
				return queue;
			}
		}
		return null;
	}

	public static class SlaMonitor extends QueueHandler {

		SlaMonitor(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.SLA_MONITOR, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class Escalation extends QueueHandler {

		Escalation(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.ESCALATION, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class Assignment extends QueueHandler {

		Assignment(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.ASSIGNMENT, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class Notification extends QueueHandler {

		Notification(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.NOTIFICATION, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class ContextEnrichment extends QueueHandler {

		ContextEnrichment(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.CONTEXT_ENRICHMENT, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class SurveyTrigger extends QueueHandler {

		SurveyTrigger(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.SURVEY_TRIGGER, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}

	public static class AnalyticsUpdate extends QueueHandler {

		AnalyticsUpdate(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions, JobTracing tracing) {
			super(JobQueue.ANALYTICS_UPDATE, workers, sharedTransactions, tracing);
		}

		public void run(String idempotencyKey, HelpdeskJob job) throws Exception {
			execute(idempotencyKey, job);
		}
	}
}
