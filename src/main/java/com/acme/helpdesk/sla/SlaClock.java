package com.acme.helpdesk.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * The SLA clock of one ticket and metric. Time is counted in the business hours the clock started with (around the
 * clock without them): {@code consumed} business time before the current running segment plus the segment since
 * {@code runningSince}. {@code dueAt} and {@code warnAt} are recomputed whenever the clock (re)starts or resumes, so
 * the SLA monitor only compares them with now.
 * <ul>
 * <li>pause ({@code PENDING}): the segment's business time is added to {@code consumed}; the clock stands still,
 * {@code dueAt}/{@code warnAt} keep their last values until it resumes;</li>
 * <li>resume: a new segment; due time = resume + (target - consumed) in business time, so time in {@code PENDING}
 * moves the due time;</li>
 * <li>stop: final for the cycle (first public agent reply, resolved, closed);</li>
 * <li>restart (reopen, resolution clock): a new cycle with the full target from the reopen, flags cleared.</li>
 * </ul>
 * {@code warned} and {@code breached} are set only by the SLA monitor (in SQL), once per cycle.
 */
@Entity
@Table(name = "sla_clock")
class SlaClock {

	@Id
	private UUID id;
	private UUID merchantId;
	private UUID ticketId;
	@Enumerated(EnumType.STRING)
	private SlaMetric metric;
	private int cycle;
	@Enumerated(EnumType.STRING)
	private ClockState state;
	private long targetMs;
	private int warningPercent;
	@Convert(converter = BusinessHoursJson.Column.class)
	private BusinessHours businessHours;
	private Instant startedAt;
	private Instant runningSince;
	private long consumedMs;
	private Instant pausedAt;
	private long pausedMs;
	private Instant warnAt;
	private Instant dueAt;
	private boolean warned;
	private boolean breached;
	private Instant breachedAt;
	private Instant stoppedAt;
	private Instant lastChangeAt;
	@Version
	private Long version; // null until persisted: Spring Data then inserts instead of merging (a SELECT per clock)

	protected SlaClock() {
	}

	static SlaClock start(UUID merchantId, UUID ticketId, SlaMetric metric, Duration target, int warningPercent,
			BusinessHours businessHours, Instant at) {
		var clock = new SlaClock();
		clock.id = UUID.randomUUID();
		clock.merchantId = merchantId;
		clock.ticketId = ticketId;
		clock.metric = metric;
		clock.targetMs = target.toMillis();
		clock.warningPercent = warningPercent;
		clock.businessHours = businessHours;
		clock.cycle = 0;
		clock.restartAt(at);
		return clock;
	}

	/** Pauses a running clock; answers whether it changed. */
	boolean pause(Instant at) {
		if (state != ClockState.RUNNING || stale(at)) {
			return false;
		}
		consumedMs += BusinessHours.between(businessHours, runningSince, at).toMillis();
		runningSince = null;
		pausedAt = at;
		state = ClockState.PAUSED;
		lastChangeAt = at;
		return true;
	}

	/** Resumes a paused clock; the due time moves by the paused business time. */
	boolean resume(Instant at) {
		if (state != ClockState.PAUSED || stale(at)) {
			return false;
		}
		pausedMs += Duration.between(pausedAt, at).toMillis();
		pausedAt = null;
		runningSince = at;
		state = ClockState.RUNNING;
		lastChangeAt = at;
		schedule();
		return true;
	}

	boolean stop(Instant at) {
		if (state == ClockState.STOPPED || stale(at)) {
			return false;
		}
		if (state == ClockState.RUNNING) {
			consumedMs += BusinessHours.between(businessHours, runningSince, at).toMillis();
		}
		else {
			pausedMs += Duration.between(pausedAt, at).toMillis();
		}
		runningSince = null;
		pausedAt = null;
		stoppedAt = at;
		state = ClockState.STOPPED;
		lastChangeAt = at;
		return true;
	}

	/** A new cycle with the full target from {@code at} (the ticket was reopened). */
	boolean restart(Instant at) {
		if (stale(at)) {
			return false;
		}
		restartAt(at);
		return true;
	}

	private void restartAt(Instant at) {
		cycle++;
		state = ClockState.RUNNING;
		startedAt = at;
		runningSince = at;
		consumedMs = 0;
		pausedAt = null;
		pausedMs = 0;
		warned = false;
		breached = false;
		breachedAt = null;
		stoppedAt = null;
		lastChangeAt = at;
		warnAt = null;
		dueAt = null;
		schedule();
	}

	/** An event older than the clock's last change arrived late: applying it would rewrite history. */
	private boolean stale(Instant at) {
		return lastChangeAt != null && at.isBefore(lastChangeAt);
	}

	private void schedule() {
		if (!breached) {
			dueAt = BusinessHours.plus(businessHours, runningSince, Duration.ofMillis(targetMs - consumedMs));
		}
		if (!warned) {
			var threshold = targetMs * warningPercent / 100;
			warnAt = BusinessHours.plus(businessHours, runningSince, Duration.ofMillis(threshold - consumedMs));
		}
	}

	/** Wall time spent paused so far, including a pause in progress. */
	Duration pausedFor(Instant now) {
		var ms = pausedMs;
		if (state == ClockState.PAUSED && now.isAfter(pausedAt)) {
			ms += Duration.between(pausedAt, now).toMillis();
		}
		return Duration.ofMillis(ms);
	}

	/** Still counting against the ticket after its breach: breached and not stopped. */
	boolean inBreach() {
		return breached && state != ClockState.STOPPED;
	}

	UUID id() { return id; }
	UUID merchantId() { return merchantId; }
	UUID ticketId() { return ticketId; }
	SlaMetric metric() { return metric; }
	int cycle() { return cycle; }
	ClockState state() { return state; }
	Duration target() { return Duration.ofMillis(targetMs); }
	Instant startedAt() { return startedAt; }
	Instant warnAt() { return warnAt; }
	Instant dueAt() { return dueAt; }
	boolean warned() { return warned; }
	boolean breached() { return breached; }
	Instant breachedAt() { return breachedAt; }
	Instant stoppedAt() { return stoppedAt; }
	long version() { return version == null ? 0 : version; }
}
