package com.acme.helpdesk.jobs.internal;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.mappers.MDCMapper;
import org.slf4j.MDC;

import com.acme.helpdesk.jobs.JobQueue;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * A job's trace context, stored with the job when it is published and restored when it runs, so its trace goes on
 * from the request or listener that published it:
 * <ul>
 * <li>the current span's W3C trace context ({@code traceparent}, and {@code tracestate} / {@code baggage} when there
 * are any) in the job's metadata as {@code trace-<field>};</li>
 * <li>the logging context ({@code MDC}: {@code traceId}, {@code spanId}) as JobRunr's scheduler stores it
 * ({@code mdc-<key>}), which JobRunr puts back around the whole run, its own log lines included.</li>
 * </ul>
 * Each run is the observation {@code helpdesk.jobs.run} (tags {@code queue} and {@code job.name}; its timer is the
 * run time per queue), a consumer span whose parent is the stored context. JobRunr removes both from the metadata when
 * the job succeeds.
 */
final class JobTracing {

	static final String RUN_OBSERVATION = "helpdesk.jobs.run";
	static final String TRACE_PREFIX = "trace-";
	private static final String JOBRUNR_KEYS = "jobrunr.";

	private final Tracer tracer;
	private final Propagator propagator;
	private final ObservationRegistry observations;

	JobTracing(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.observations = observations;
	}

	/**
	 * Stores the current trace and logging context with a job about to be published. The logging context as JobRunr's
	 * scheduler stores it ({@code MDCMapper.saveMDCContextToJob}), but without the keys JobRunr sets for the job that
	 * runs now (a job published by a job): JobRunr sets them anew for each run.
	 */
	void store(Job job) {
		var logging = MDC.getCopyOfContextMap();
		if (logging != null) {
			logging.forEach((key, value) -> {
				if (value != null && !key.startsWith(JOBRUNR_KEYS)) {
					job.getMetadata().put(MDCMapper.JOBRUNR_MDC_KEY + "-" + key, value);
				}
			});
		}
		var span = tracer.currentSpan();
		if (span != null) {
			propagator.inject(span.context(), job.getMetadata(), (metadata, key, value) -> metadata.put(TRACE_PREFIX + key, value));
		}
	}

	/**
	 * Runs a job's body in an observation whose parent is the trace context stored with the job (if any). The logging
	 * context JobRunr restored is put back afterwards (closing the span's scope removes the trace id from it), so
	 * JobRunr's own lines about the run (succeeded, failed) still carry it.
	 */
	void run(JobContext job, JobQueue queue, String jobName, Observation.CheckedRunnable<Exception> body)
			throws Exception {
		var logging = MDC.getCopyOfContextMap();
		var observation = Observation.createNotStarted(RUN_OBSERVATION, () -> receiverContext(job), observations)
			.contextualName("job " + jobName)
			.lowCardinalityKeyValues(KeyValues.of("queue", QueueMetrics.name(queue), "job.name", jobName));
		try {
			observation.observeChecked(body);
		}
		finally {
			if (logging == null) {
				MDC.clear();
			}
			else {
				MDC.setContextMap(logging);
			}
		}
	}

	private static ReceiverContext<JobContext> receiverContext(JobContext job) {
		var context = new ReceiverContext<JobContext>((carrier, key) -> {
			if (carrier == null) {
				return null;
			}
			var value = carrier.getMetadata(TRACE_PREFIX + key);
			return value == null ? null : value.toString();
		});
		context.setCarrier(job);
		context.setRemoteServiceName("jobrunr");
		return context;
	}
}
