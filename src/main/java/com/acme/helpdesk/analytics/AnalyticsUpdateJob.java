package com.acme.helpdesk.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.analytics-update}, job {@code analytics-update}: recount the merchant's dirty tickets
 * ({@code UpdateAnalytics}). One job per merchant and {@link #SLICE_SECONDS}-second slice of the clock, however many
 * events the slice had.
 *
 * @param slice the start of the slice whose events published the job; the instant of the run it follows for a
 * follow-up job
 */
public record AnalyticsUpdateJob(UUID merchantId, Instant slice) implements HelpdeskJob {

	static final long SLICE_SECONDS = 2;

	/** How long after a run that found the merchant's lock taken its follow-up runs. */
	static final Duration BUSY_RETRY = Duration.ofSeconds(1);

	/**
	 * The job of the slice holding {@code now}, id {@code UUID.nameUUIDFromBytes("analytics|<merchant>|<slice>")}
	 * (the slice's start in epoch seconds), starting 1 s after the slice ends.
	 */
	static Dispatch<AnalyticsUpdateJob> forSlice(UUID merchantId, Instant now) {
		var slice = sliceOf(now);
		return Dispatch.of(new AnalyticsUpdateJob(merchantId, slice))
			.withId(id("analytics|" + merchantId + "|" + slice.getEpochSecond()))
			.notBefore(slice.plusSeconds(SLICE_SECONDS + 1));
	}

	/**
	 * The job that goes on where the run of job {@code jobId} stopped (markers were left, or the merchant's lock was
	 * taken), at once; its id derives from that job's, so a second run of that job publishes no second follow-up.
	 */
	static Dispatch<AnalyticsUpdateJob> followUp(UUID merchantId, UUID jobId, Instant now) {
		return Dispatch.of(new AnalyticsUpdateJob(merchantId, now))
			.withId(id("analytics|" + merchantId + "|after|" + jobId));
	}

	/** The straggler sweep's job for a merchant, once per sweep ({@code sweepId}). */
	static Dispatch<AnalyticsUpdateJob> forStragglers(UUID merchantId, UUID sweepId, Instant now) {
		return Dispatch.of(new AnalyticsUpdateJob(merchantId, now))
			.withId(id("analytics|" + merchantId + "|stragglers|" + sweepId));
	}

	static Instant sliceOf(Instant now) {
		return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), SLICE_SECONDS) * SLICE_SECONDS);
	}

	private static UUID id(String name) {
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public JobQueue queue() {
		return JobQueue.ANALYTICS_UPDATE;
	}

	@Override
	public String jobName() {
		return "analytics-update";
	}

	@Override
	public String displayName() {
		return "analytics-update merchant " + merchantId;
	}
}
