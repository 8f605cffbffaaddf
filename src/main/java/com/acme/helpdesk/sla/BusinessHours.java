package com.acme.helpdesk.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A weekly calendar of working hours in a time zone: SLA time only runs inside its windows. Windows are local times
 * of a day ({@code from < to}, not overlapping); daylight-saving gaps and overlaps follow {@link java.time.ZonedDateTime}.
 */
public record BusinessHours(ZoneId timeZone, Map<DayOfWeek, List<Window>> weekly) {

	/** One working window of a day, {@code [from, to)}. */
	public record Window(LocalTime from, LocalTime to) {
	}

	/** A search bound: a calendar has at least one window a week, so 8 days always find one. */
	private static final int MAX_DAYS = 3660;

	public BusinessHours {
		var copy = new EnumMap<DayOfWeek, List<Window>>(DayOfWeek.class);
		weekly.forEach((day, windows) -> {
			var sorted = new ArrayList<>(windows);
			sorted.sort(Comparator.comparing(Window::from));
			if (!sorted.isEmpty()) {
				copy.put(day, List.copyOf(sorted));
			}
		});
		if (copy.isEmpty()) {
			throw new IllegalArgumentException("business hours need at least one window a week");
		}
		weekly = java.util.Collections.unmodifiableMap(copy);
	}

	/** The instant {@code duration} of business time after {@code start}; {@code start} itself for zero. */
	public Instant plus(Instant start, Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return start;
		}
		var remaining = duration;
		var day = LocalDate.ofInstant(start, timeZone);
		for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
			for (var window : weekly.getOrDefault(day.getDayOfWeek(), List.of())) {
				var open = day.atTime(window.from()).atZone(timeZone).toInstant();
				var close = day.atTime(window.to()).atZone(timeZone).toInstant();
				if (!close.isAfter(start)) {
					continue;
				}
				var from = open.isAfter(start) ? open : start;
				var available = Duration.between(from, close);
				if (remaining.compareTo(available) <= 0) {
					return from.plus(remaining);
				}
				remaining = remaining.minus(available);
			}
		}
		throw new IllegalStateException("business time beyond " + MAX_DAYS + " days");
	}

	/** The business time between two instants (zero when {@code to} is not after {@code from}). */
	public Duration between(Instant from, Instant to) {
		if (!to.isAfter(from)) {
			return Duration.ZERO;
		}
		var total = Duration.ZERO;
		var last = LocalDate.ofInstant(to, timeZone);
		for (var day = LocalDate.ofInstant(from, timeZone); !day.isAfter(last); day = day.plusDays(1)) {
			for (var window : weekly.getOrDefault(day.getDayOfWeek(), List.of())) {
				var open = day.atTime(window.from()).atZone(timeZone).toInstant();
				var close = day.atTime(window.to()).atZone(timeZone).toInstant();
				var start = open.isAfter(from) ? open : from;
				var end = close.isBefore(to) ? close : to;
				if (end.isAfter(start)) {
					total = total.plus(Duration.between(start, end));
				}
			}
		}
		return total;
	}

	/** Around the clock: business time is wall time. */
	static Instant plus(BusinessHours hours, Instant start, Duration duration) {
		return hours == null ? start.plus(duration.isNegative() ? Duration.ZERO : duration) : hours.plus(start, duration);
	}

	static Duration between(BusinessHours hours, Instant from, Instant to) {
		if (hours != null) {
			return hours.between(from, to);
		}
		return to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
	}
}
