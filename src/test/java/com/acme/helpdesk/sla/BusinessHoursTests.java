package com.acme.helpdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;

import org.junit.jupiter.api.Test;

class BusinessHoursTests {

	static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	static final BusinessHours WEEKDAYS = weekdays(new BusinessHours.Window(LocalTime.of(9, 0), LocalTime.of(18, 0)));

	static BusinessHours weekdays(BusinessHours.Window... windows) {
		var weekly = new EnumMap<DayOfWeek, List<BusinessHours.Window>>(DayOfWeek.class);
		for (var day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
				DayOfWeek.FRIDAY)) {
			weekly.put(day, List.of(windows));
		}
		return new BusinessHours(BERLIN, weekly);
	}

	static Instant berlin(String local) {
		return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
	}

	@Test
	void fridayEveningPlusOneHourIsMondayHalfPastNine() {
		assertThat(WEEKDAYS.plus(berlin("2025-01-03T17:30"), Duration.ofHours(1))).isEqualTo(berlin("2025-01-06T09:30"));
	}

	@Test
	void startOutsideHoursCountsFromTheNextOpening() {
		assertThat(WEEKDAYS.plus(berlin("2025-01-04T12:00"), Duration.ofMinutes(30))).isEqualTo(berlin("2025-01-06T09:30"));
		assertThat(WEEKDAYS.plus(berlin("2025-01-06T07:00"), Duration.ofHours(9))).isEqualTo(berlin("2025-01-06T18:00"));
	}

	@Test
	void splitDaysAndLongTargetsSpanWeeks() {
		var split = weekdays(new BusinessHours.Window(LocalTime.of(9, 0), LocalTime.of(12, 0)),
				new BusinessHours.Window(LocalTime.of(13, 0), LocalTime.of(17, 0)));
		assertThat(split.plus(berlin("2025-01-06T11:00"), Duration.ofHours(2))).isEqualTo(berlin("2025-01-06T14:00"));
		assertThat(WEEKDAYS.plus(berlin("2025-01-06T09:00"), Duration.ofHours(45 + 9))).isEqualTo(berlin("2025-01-13T18:00"));
	}

	@Test
	void daylightSavingTimeChangesKeepLocalOpeningHours() {
		// Berlin moves to summer time on Sunday 2025-03-30: Friday 17:00 (UTC+1) + 2 h is Monday 10:00 (UTC+2)
		assertThat(WEEKDAYS.plus(berlin("2025-03-28T17:00"), Duration.ofHours(2))).isEqualTo(berlin("2025-03-31T10:00"));
		assertThat(WEEKDAYS.between(berlin("2025-03-28T17:00"), berlin("2025-03-31T10:00"))).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void betweenCountsOnlyBusinessTime() {
		assertThat(WEEKDAYS.between(berlin("2025-01-03T17:30"), berlin("2025-01-06T09:30"))).isEqualTo(Duration.ofHours(1));
		assertThat(WEEKDAYS.between(berlin("2025-01-04T10:00"), berlin("2025-01-05T10:00"))).isZero();
		assertThat(WEEKDAYS.between(berlin("2025-01-06T10:00"), berlin("2025-01-06T09:00"))).isZero();
	}
}
