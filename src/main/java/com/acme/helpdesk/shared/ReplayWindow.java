package com.acme.helpdesk.shared;

import java.time.Duration;

/**
 * How long after something first took effect it can still run again (an event delivered to a listener again, a job
 * run again), and the settings that bound it. A record that makes such a repeat change nothing (a processed-event
 * row, a job's idempotency key, a notification row) must be kept at least this long: {@link #requireCoveredBy}.
 *
 * @param what what can run again, as a sentence names it ("an event can reach a listener again")
 * @param length the longest time after the first run that a repeat can start
 * @param derivation the settings {@code length} is derived from, with their values
 */
public record ReplayWindow(String what, Duration length, String derivation) {

	/**
	 * Stops start-up, naming {@code property}, when {@code retention} (its value) is shorter than this window: a record
	 * purged sooner could let a repeat take effect twice.
	 */
	public void requireCoveredBy(String property, Duration retention) {
		if (retention.compareTo(length) < 0) {
			throw new RetentionTooShortException(property, format(length),
					"%s (%s) is shorter than the longest time %s: %s = %s. A record purged sooner could let such a repeat take effect twice: set %s to at least %s."
						.formatted(property, format(retention), what, format(length), derivation, property, format(length)));
		}
	}

	/** ISO-8601 with days, as the settings are usually written: {@code P7DT5M} rather than {@code PT168H5M}. */
	public static String format(Duration duration) {
		var days = duration.toDays();
		var rest = duration.minusDays(days);
		if (days == 0) {
			return rest.toString();
		}
		return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
	}
}
