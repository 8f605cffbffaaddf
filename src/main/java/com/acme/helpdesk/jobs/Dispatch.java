package com.acme.helpdesk.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One job ready to publish through {@link JobDispatcher}: the job's arguments, its id, when it may start and its
 * idempotency key. Immutable; the typed builders ({@link AssignmentJob#assign}, ...) return one.
 * <p>
 * Jobs derived from an event must get a deterministic id with {@link #derivedFrom(String, Object...)}: publishing
 * the same id again (a replayed event, a second listener run) is skipped, so one event makes one job.
 */
public final class Dispatch<T extends HelpdeskJob> {

	private final T job;
	private final UUID id;
	private final Instant notBefore;
	private final Duration delay;
	private final String idempotencyKey;

	private Dispatch(T job, UUID id, Instant notBefore, Duration delay, String idempotencyKey) {
		this.job = Objects.requireNonNull(job, "job");
		this.id = Objects.requireNonNull(id, "id");
		this.notBefore = notBefore;
		this.delay = delay;
		this.idempotencyKey = idempotencyKey;
	}

	/** A job with a random id, to run as soon as a worker of its queue is free. */
	public static <T extends HelpdeskJob> Dispatch<T> of(T job) {
		return new Dispatch<>(job, UUID.randomUUID(), null, null, null);
	}

	/**
	 * The job's id is derived from the event's identity and the listener: {@code UUID.nameUUIDFromBytes} of
	 * {@code "helpdesk-job|<queue>|<job name>|<listenerId>|<identity parts joined by |>"}. Use the listener's pinned id
	 * and values that identify the event (its aggregate id and, when one aggregate raises the event more than once, a
	 * version, status or timestamp).
	 */
	public Dispatch<T> derivedFrom(String listenerId, Object... eventIdentity) {
		if (eventIdentity.length == 0) {
			throw new IllegalArgumentException("an event identity is required");
		}
		var name = "helpdesk-job|" + job.queue().queueName() + "|" + job.jobName() + "|" + listenerId + "|"
				+ Arrays.stream(eventIdentity).map(String::valueOf).collect(Collectors.joining("|"));
		return withId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
	}

	/** A job id of the caller's choosing; publishing an id that exists is skipped. */
	public Dispatch<T> withId(UUID id) {
		return new Dispatch<>(job, id, notBefore, delay, idempotencyKey);
	}

	/** Starts no earlier than {@code delay} after publishing. */
	public Dispatch<T> delayedBy(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative");
		}
		return new Dispatch<>(job, id, null, delay, idempotencyKey);
	}

	/** Starts no earlier than {@code instant}. */
	public Dispatch<T> notBefore(Instant instant) {
		return new Dispatch<>(job, id, instant, null, idempotencyKey);
	}

	/** Overrides the idempotency key (default: {@code "job:" + id}). */
	public Dispatch<T> withIdempotencyKey(String key) {
		return new Dispatch<>(job, id, notBefore, delay, Objects.requireNonNull(key));
	}

	public T job() {
		return job;
	}

	public UUID id() {
		return id;
	}

	public String idempotencyKey() {
		return idempotencyKey != null ? idempotencyKey : "job:" + id;
	}

	/** When the job may start, given the publishing instant; {@code null} for at once. */
	public Instant startAt(Instant now) {
		if (notBefore != null) {
			return notBefore.isAfter(now) ? notBefore : null;
		}
		if (delay != null && !delay.isZero()) {
			return now.plus(delay);
		}
		return null;
	}

	@Override
	public String toString() {
		return "Dispatch[" + job.queue().queueName() + " " + job.displayName() + " id=" + id + "]";
	}
}
