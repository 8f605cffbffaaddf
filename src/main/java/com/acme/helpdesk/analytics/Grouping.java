package com.acme.helpdesk.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The points of a time series: local hours, days, ISO weeks (from Monday) or months of a time zone. Days follow daylight
 * saving time (23 or 25 hours); hours are the local hours that exist (23 or 25 on such a day).
 */
enum Grouping {
	HOUR,
	DAY,
	WEEK,
	MONTH;

	/** One point, from {@code start} up to (without) {@code end}: the local period clipped to the range asked for. */
	record Period(ZonedDateTime start, Instant end) {
	}

	static Optional<Grouping> parse(String value) {
		for (var grouping : values()) {
			if (grouping.name().equalsIgnoreCase(value)) {
				return Optional.of(grouping);
			}
		}
		return Optional.empty();
	}

	String parameterValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The periods meeting the range from {@code from} to {@code to} (exclusive), each clipped to it; stops (answering {@code limit + 1} periods) when there
	 * are more than {@code limit}.
	 */
	List<Period> periods(Instant from, Instant to, ZoneId zone, int limit) {
		var periods = new ArrayList<Period>();
		var start = from;
		while (start.isBefore(to) && periods.size() <= limit) {
			var next = nextStart(start, zone);
			var end = next.isAfter(to) ? to : next;
			periods.add(new Period(start.atZone(zone), end));
			start = end;
		}
		return periods;
	}

	/** The start of the period after the one holding {@code instant}. */
	Instant nextStart(Instant instant, ZoneId zone) {
		var local = instant.atZone(zone);
		return switch (this) {
			case HOUR -> {
				// on the time line, so both 01:00 of a 25-hour day are points; truncated locally for offsets of :30 and :45
				var next = local.plusHours(1).truncatedTo(ChronoUnit.HOURS).toInstant();
				yield next.isAfter(instant) ? next : instant.plusSeconds(3600);
			}
			case DAY -> startOfDay(local.toLocalDate().plusDays(1), zone);
			case WEEK -> startOfDay(
					local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(1), zone);
			case MONTH -> startOfDay(local.toLocalDate().withDayOfMonth(1).plusMonths(1), zone);
		};
	}

	private static Instant startOfDay(LocalDate date, ZoneId zone) {
		return date.atStartOfDay(zone).toInstant();
	}
}
