package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A range read as the fewest whole UTC-aligned buckets; the expected runs are worked out by hand in each test. */
class BucketSpanTests {

	@Test
	void aUtcMonthIsOneMonthBucket() {
		assertThat(BucketSpan.covering(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")))
			.containsExactly(span(BucketLevel.MONTH, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"));
	}

	@Test
	void aRangeIsCutIntoQuarterHoursHoursDaysAndMonthsFromBothEdges() {
		// 2026-01-30 22:45 to 2026-04-02 01:30: 1 quarter hour, 1 hour, 2 days, 2 months, 1 day, 1 hour, 2 quarter hours
		var spans = BucketSpan.covering(at("2026-01-30T22:45:00Z"), at("2026-04-02T01:30:00Z"));
		assertThat(spans).containsExactly(span(BucketLevel.QUARTER_HOUR, "2026-01-30T22:45:00Z", "2026-01-30T23:00:00Z"),
				span(BucketLevel.HOUR, "2026-01-30T23:00:00Z", "2026-01-31T00:00:00Z"),
				span(BucketLevel.DAY, "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"),
				span(BucketLevel.MONTH, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z"),
				span(BucketLevel.DAY, "2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z"),
				span(BucketLevel.HOUR, "2026-04-02T00:00:00Z", "2026-04-02T01:00:00Z"),
				span(BucketLevel.QUARTER_HOUR, "2026-04-02T01:00:00Z", "2026-04-02T01:30:00Z"));
		assertThat(BucketSpan.bucketCount(spans)).isEqualTo(1 + 1 + 1 + 2 + 1 + 1 + 2);
	}

	@Test
	void aUtcDayIsOneDayBucketAndAQuarterHourIsOneQuarterHourBucket() {
		assertThat(BucketSpan.covering(at("2026-07-04T00:00:00Z"), at("2026-07-05T00:00:00Z")))
			.containsExactly(span(BucketLevel.DAY, "2026-07-04T00:00:00Z", "2026-07-05T00:00:00Z"));
		assertThat(BucketSpan.covering(at("2026-07-04T10:15:00Z"), at("2026-07-04T10:30:00Z")))
			.containsExactly(span(BucketLevel.QUARTER_HOUR, "2026-07-04T10:15:00Z", "2026-07-04T10:30:00Z"));
	}

	@Test
	void berlinsSpringForwardDayIsTwentyThreeHourBuckets() {
		// 2026-03-29 in Berlin: 00:00 is 23:00Z of the 28th (+01:00), the next midnight 22:00Z (+02:00)
		var day = localDay("2026-03-29", "Europe/Berlin");
		assertThat(day).containsExactly(span(BucketLevel.HOUR, "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"));
		assertThat(BucketSpan.bucketCount(day)).isEqualTo(23);
	}

	@Test
	void berlinsFallBackDayIsTwentyFiveHourBuckets() {
		// 2026-10-25 in Berlin: 22:00Z of the 24th (+02:00) to 23:00Z of the 25th (+01:00)
		var day = localDay("2026-10-25", "Europe/Berlin");
		assertThat(day).containsExactly(span(BucketLevel.HOUR, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"));
		assertThat(BucketSpan.bucketCount(day)).isEqualTo(25);
	}

	@Test
	void newYorksDaylightSavingDaysAreTwentyThreeAndTwentyFiveHours() {
		// 2026-03-08: 05:00Z (-05:00) to 04:00Z of the 9th (-04:00); 2026-11-01: 04:00Z (-04:00) to 05:00Z of the 2nd
		var spring = localDay("2026-03-08", "America/New_York");
		assertThat(spring).containsExactly(span(BucketLevel.HOUR, "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
		assertThat(BucketSpan.bucketCount(spring)).isEqualTo(23);
		var fall = localDay("2026-11-01", "America/New_York");
		assertThat(fall).containsExactly(span(BucketLevel.HOUR, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"));
		assertThat(BucketSpan.bucketCount(fall)).isEqualTo(25);
	}

	@Test
	void aBerlinMonthIsAnHourThirtyDaysAndTwentyTwoHours() {
		// March 2026 in Berlin: 2026-02-28T23:00Z to 2026-03-31T22:00Z (DST from the 29th)
		var march = BucketSpan.covering(LocalDate.parse("2026-03-01").atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant(),
				LocalDate.parse("2026-04-01").atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant());
		assertThat(march).containsExactly(span(BucketLevel.HOUR, "2026-02-28T23:00:00Z", "2026-03-01T00:00:00Z"),
				span(BucketLevel.DAY, "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"),
				span(BucketLevel.HOUR, "2026-03-31T00:00:00Z", "2026-03-31T22:00:00Z"));
		assertThat(BucketSpan.bucketCount(march)).isEqualTo(1 + 30 + 22);
	}

	@Test
	void aKolkataDayStartsAndEndsOnTheHalfHour() {
		// +05:30: 2026-03-10 is 18:30Z of the 9th to 18:30Z of the 10th
		var day = localDay("2026-03-10", "Asia/Kolkata");
		assertThat(day).containsExactly(span(BucketLevel.QUARTER_HOUR, "2026-03-09T18:30:00Z", "2026-03-09T19:00:00Z"),
				span(BucketLevel.HOUR, "2026-03-09T19:00:00Z", "2026-03-10T18:00:00Z"),
				span(BucketLevel.QUARTER_HOUR, "2026-03-10T18:00:00Z", "2026-03-10T18:30:00Z"));
		assertThat(BucketSpan.bucketCount(day)).isEqualTo(2 + 23 + 2);
	}

	@Test
	void aKathmanduDayStartsAndEndsOnTheQuarterHour() {
		// +05:45: 2026-03-10 is 18:15Z of the 9th to 18:15Z of the 10th
		var day = localDay("2026-03-10", "Asia/Kathmandu");
		assertThat(day).containsExactly(span(BucketLevel.QUARTER_HOUR, "2026-03-09T18:15:00Z", "2026-03-09T19:00:00Z"),
				span(BucketLevel.HOUR, "2026-03-09T19:00:00Z", "2026-03-10T18:00:00Z"),
				span(BucketLevel.QUARTER_HOUR, "2026-03-10T18:00:00Z", "2026-03-10T18:15:00Z"));
		assertThat(BucketSpan.bucketCount(day)).isEqualTo(3 + 23 + 1);
	}

	@Test
	void aYearIsTwelveMonthBuckets() {
		var year = BucketSpan.covering(at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"));
		assertThat(year).containsExactly(span(BucketLevel.MONTH, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
		assertThat(BucketSpan.bucketCount(year)).isEqualTo(12);
	}

	@Test
	void everyBucketOfACoverIsWholeAndTheyTileTheRange() {
		var from = at("2026-02-27T13:45:00Z");
		var to = at("2026-05-03T02:15:00Z");
		var spans = BucketSpan.covering(from, to);
		var at = from;
		for (var span : spans) {
			for (var start : span.starts()) {
				assertThat(start).isEqualTo(at);
				assertThat(span.level().isStart(start)).isTrue();
				at = span.level().next(start);
			}
		}
		assertThat(at).isEqualTo(to);
		// 1 quarter hour (13:45), 10 hours (14..23), 1 day (28th), 2 months (March, April), 2 days (1st, 2nd of May),
		// 2 hours (00, 01), 1 quarter hour (02:00)
		assertThat(BucketSpan.bucketCount(spans)).isEqualTo(1 + 10 + 1 + 2 + 2 + 2 + 1);
	}

	@Test
	void refusesInstantsOffTheQuarterHourAndEmptyRanges() {
		assertThatThrownBy(() -> BucketSpan.covering(at("2026-03-01T00:10:00Z"), at("2026-03-02T00:00:00Z")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> BucketSpan.covering(at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:01Z")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> BucketSpan.covering(at("2026-03-01T00:00:00Z"), at("2026-03-01T00:00:00Z")))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private static List<BucketSpan> localDay(String date, String zone) {
		var day = LocalDate.parse(date);
		var id = ZoneId.of(zone);
		return BucketSpan.covering(day.atStartOfDay(id).toInstant(), day.plusDays(1).atStartOfDay(id).toInstant());
	}

	private static BucketSpan span(BucketLevel level, String from, String to) {
		return new BucketSpan(level, at(from), at(to));
	}

	private static Instant at(String instant) {
		return Instant.parse(instant);
	}
}
