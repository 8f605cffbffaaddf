package com.acme.helpdesk.jobs;

import java.util.function.Supplier;

/**
 * Makes a job's side effect happen once however often the job runs: the job's idempotency key is recorded in table
 * {@code job_idempotency} in the same transaction as the side effect. A second run finds the key and changes nothing;
 * a concurrent second run waits for the first one's transaction and then finds the key.
 */
public interface JobIdempotency {

	/**
	 * Records the run's key in the caller's transaction (one must be active); answers {@code false} when the key was
	 * already recorded, i.e. the side effect has happened and the caller must do nothing.
	 */
	boolean claim(JobRun run);

	/**
	 * Runs {@code sideEffect} in a new transaction together with the key; answers whether it ran. An exception rolls
	 * back both, so the next attempt runs it again.
	 */
	default boolean once(JobRun run, Runnable sideEffect) {
		return once(run, () -> {
			sideEffect.run();
			return Boolean.TRUE;
		}) != null;
	}

	/** Like {@link #once(JobRun, Runnable)}; answers the side effect's result, or {@code null} if it had happened. */
	<R> R once(JobRun run, Supplier<R> sideEffect);
}
