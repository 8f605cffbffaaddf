package com.acme.helpdesk.jobs.internal;

import java.time.Duration;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;

/**
 * Metrics of every run, and the dead letter of every job that ends {@code FAILED}: after its last retry, with
 * arguments that can never work, or as an orphan of a crashed server that ran out of retries (JobRunr's
 * {@code onFailedAfterRetries} does not fire for those; a state change to a final {@code FAILED} always does). A job
 * requeued through the JobRunr dashboard starts like one requeued through {@link DeadLetters}: with its queue's retries
 * again, known to its worker as requeued, its dead letter removed.
 */
final class QueueJobObserver implements ApplyStateFilter, JobServerFilter {

	private final QueueMetrics metrics;
	private final HandleDeadLetter handleDeadLetter;

	QueueJobObserver(QueueMetrics metrics, HandleDeadLetter handleDeadLetter) {
		this.metrics = metrics;
		this.handleDeadLetter = handleDeadLetter;
	}

	@Override
	public void onProcessing(Job job) {
		var requeuedAt = DeadLetters.failuresWhenLastRequeued(job);
		if (requeuedAt > 0 && requeuedAt != DeadLetters
			.failuresBeforeRequeue(job.getMetadata().get(DeadLetters.FAILURES_BEFORE_REQUEUE))) {
			// requeued by the JobRunr dashboard, which only enqueues the job: what DeadLetters#requeue does besides
			job.getMetadata().put(DeadLetters.FAILURES_BEFORE_REQUEUE, requeuedAt);
			handleDeadLetter.requeued(job);
		}
		var started = job.getLastJobStateOfType(ProcessingState.class).map(JobState::getCreatedAt).orElse(null);
		var enqueued = job.getLastJobStateOfType(EnqueuedState.class).map(JobState::getCreatedAt).orElse(null);
		var wait = started == null || enqueued == null ? Duration.ZERO : Duration.between(enqueued, started);
		metrics.started(QueueHandler.queueOf(job), wait);
	}

	@Override
	public void onProcessingSucceeded(Job job) {
		metrics.finished(QueueHandler.queueOf(job), true);
	}

	@Override
	public void onProcessingFailed(Job job, Exception e) {
		// orphans of a crashed server are failed by the master with this exception: they ran in no process here
		if (!(e instanceof IllegalJobThreadStateException)) {
			metrics.finished(QueueHandler.queueOf(job), false);
		}
	}

	@Override
	public void onStateApplied(Job job, JobState oldState, JobState newState) {
		if (newState instanceof FailedState && job.getJobState() == newState) {
			handleDeadLetter.handle(job);
		}
	}
}
