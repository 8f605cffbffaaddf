package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The points of a time series in local time: the expected starts are written out by hand. */
class GroupingTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	@Test
	void daysAroundBerlinsSpringForwardAreLocalMidnightsWithOneTwentyThreeHourDay() {
		var periods = Grouping.DAY.periods(midnight("2026-03-28", BERLIN), midnight("2026-03-31", BERLIN), BERLIN, 100);
		assertThat(starts(periods)).containsExactly("2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00",
				"2026-03-30T00:00:00+02:00");
		assertThat(periods.get(1).end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
		assertThat(hours(periods)).containsExactly(24L, 23L, 24L);
	}

	@Test
	void hoursOfNewYorksFallBackDayAreTwentyFiveWithOneOClockTwice() {
		var periods = Grouping.HOUR.periods(midnight("2026-11-01", NEW_YORK), midnight("2026-11-02", NEW_YORK), NEW_YORK,
				100);
		assertThat(periods).hasSize(25);
		assertThat(starts(periods).subList(0, 4)).containsExactly("2026-11-01T00:00:00-04:00",
				"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00");
		assertThat(starts(periods).get(24)).isEqualTo("2026-11-01T23:00:00-05:00");
	}

	@Test
	void hoursOfBerlinsSpringForwardDayAreTwentyThreeWithoutTwoOClock() {
		var periods = Grouping.HOUR.periods(midnight("2026-03-29", BERLIN), midnight("2026-03-30", BERLIN), BERLIN, 100);
		assertThat(periods).hasSize(23);
		assertThat(starts(periods).subList(0, 3)).containsExactly("2026-03-29T00:00:00+01:00",
				"2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00");
	}

	@Test
	void hoursInKathmanduStartAtQuarterToTheUtcHour() {
		var zone = ZoneId.of("Asia/Kathmandu");
		var periods = Grouping.HOUR.periods(midnight("2026-03-10", zone), midnight("2026-03-10", zone).plusSeconds(7200),
				zone, 100);
		assertThat(periods).extracting(p -> p.start().toInstant())
			.containsExactly(Instant.parse("2026-03-09T18:15:00Z"), Instant.parse("2026-03-09T19:15:00Z"));
	}

	@Test
	void weeksStartOnMondayAndTheRangeClipsTheFirstAndLastPoint() {
		// Wednesday 2026-03-04 to Wednesday 2026-03-18 in Berlin: 4-4 (clipped), 9-15, 16-18 (clipped)
		var periods = Grouping.WEEK.periods(midnight("2026-03-04", BERLIN), midnight("2026-03-18", BERLIN), BERLIN, 100);
		assertThat(starts(periods)).containsExactly("2026-03-04T00:00:00+01:00", "2026-03-09T00:00:00+01:00",
				"2026-03-16T00:00:00+01:00");
		assertThat(periods.get(2).end()).isEqualTo(midnight("2026-03-18", BERLIN));
	}

	@Test
	void weekAcrossDaylightSavingIsOneHourShorter() {
		var periods = Grouping.WEEK.periods(midnight("2026-03-23", BERLIN), midnight("2026-03-30", BERLIN), BERLIN, 100);
		assertThat(hours(periods)).containsExactly(7 * 24L - 1);
	}

	@Test
	void monthsAreLocalCalendarMonths() {
		var periods = Grouping.MONTH.periods(midnight("2026-01-01", NEW_YORK), midnight("2026-04-01", NEW_YORK), NEW_YORK,
				100);
		assertThat(starts(periods)).containsExactly("2026-01-01T00:00:00-05:00", "2026-02-01T00:00:00-05:00",
				"2026-03-01T00:00:00-05:00");
		// March in New York loses an hour to daylight saving time
		assertThat(hours(periods)).containsExactly(31 * 24L, 28 * 24L, 31 * 24L - 1);
	}

	@Test
	void stopsOnePeriodPastTheLimit() {
		var periods = Grouping.HOUR.periods(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
				ZoneId.of("UTC"), 10);
		assertThat(periods).hasSize(11);
	}

	private static Instant midnight(String date, ZoneId zone) {
		return LocalDate.parse(date).atStartOfDay(zone).toInstant();
	}

	private static List<String> starts(List<Grouping.Period> periods) {
		return periods.stream().map(p -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(p.start())).toList();
	}

	private static List<Long> hours(List<Grouping.Period> periods) {
		return periods.stream()
			.map(p -> java.time.Duration.between(p.start().toInstant(), p.end()).toHours())
			.toList();
	}
}
