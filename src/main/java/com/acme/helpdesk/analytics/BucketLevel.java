package com.acme.helpdesk.analytics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The sizes of the buckets figures are kept in, all aligned in UTC; each figure is added to one bucket of every level.
 * Quarter hours make every time zone in use today exact (Asia/Kathmandu is UTC+05:45); the larger levels keep long
 * ranges to few rows: a range is read as the fewest whole buckets that cover it exactly.
 */
enum BucketLevel {
	QUARTER_HOUR,
	HOUR,
	DAY,
	MONTH;

	Instant floor(Instant instant) {
		return switch (this) {
			case QUARTER_HOUR -> {
				long seconds = instant.getEpochSecond();
				yield Instant.ofEpochSecond(Math.floorDiv(seconds, 900L) * 900L);
			}
			case HOUR -> instant.truncatedTo(ChronoUnit.HOURS);
			case DAY -> instant.truncatedTo(ChronoUnit.DAYS);
			case MONTH -> instant.atOffset(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
		};
	}

	/** The start of the bucket after the one starting at {@code start}. */
	Instant next(Instant start) {
		return switch (this) {
			case QUARTER_HOUR -> start.plusSeconds(900);
			case HOUR -> start.plus(1, ChronoUnit.HOURS);
			case DAY -> start.plus(1, ChronoUnit.DAYS);
			case MONTH -> start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
		};
	}

	boolean isStart(Instant instant) {
		return floor(instant).equals(instant);
	}
}
