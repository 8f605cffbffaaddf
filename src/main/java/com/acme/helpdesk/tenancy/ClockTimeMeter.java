package com.acme.helpdesk.tenancy;

import java.time.Clock;
import java.util.function.Supplier;

import io.github.bucket4j.TimeMeter;

/** Bucket4j's time from the injected clock, so tests can move it. */
record ClockTimeMeter(Supplier<Clock> clock) implements TimeMeter {

	@Override
	public long currentTimeNanos() {
		var now = clock.get().instant();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}
}
