package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SignedBucketsTests {

	@Test
	void aLocalDayOfBerlinIsTheUtcDayPlusTheHourBeforeMinusItsLastHour() {
		var zone = ZoneId.of("Europe/Berlin");
		var from = LocalDate.parse("2026-01-15").atStartOfDay(zone).toInstant();
		var to = LocalDate.parse("2026-01-16").atStartOfDay(zone).toInstant();

		assertThat(SignedBuckets.covering(from, to)).containsExactlyInAnyOrder(
				new SignedBuckets.SignedBucket(new BucketRef(BucketLevel.DAY, Instant.parse("2026-01-15T00:00:00Z")), 1),
				new SignedBuckets.SignedBucket(new BucketRef(BucketLevel.HOUR, Instant.parse("2026-01-14T23:00:00Z")), 1),
				new SignedBuckets.SignedBucket(new BucketRef(BucketLevel.HOUR, Instant.parse("2026-01-15T23:00:00Z")), -1));
	}

	@Test
	void aYearInKathmanduNeedsFewBucketsAndCountsEveryQuarterHourInItOnce() {
		var zone = ZoneId.of("Asia/Kathmandu");
		var from = LocalDate.parse("2025-12-07").atStartOfDay(zone).toInstant();
		var to = LocalDate.parse("2026-12-06").atStartOfDay(zone).toInstant();

		var cover = SignedBuckets.covering(from, to);

		assertCountsEachQuarterHourOnce(from, to, cover);
		assertThat(cover.size()).isLessThan(BucketSpan.bucketCount(BucketSpan.covering(from, to)));
		assertThat(cover.size()).isLessThanOrEqualTo(12 + 2 * (15 + 12 + 2));
	}

	@Test
	void everyRandomRangeCountsEachQuarterHourInItOnceAndNoneOutside() {
		var random = new SplittableRandom(7);
		var origin = Instant.parse("2025-11-20T00:00:00Z").getEpochSecond() / 900;
		for (int i = 0; i < 400; i++) {
			var a = origin + random.nextLong(40_000);
			var b = a + 1 + random.nextLong(i % 2 == 0 ? 200 : 20_000);
			var from = Instant.ofEpochSecond(a * 900);
			var to = Instant.ofEpochSecond(b * 900);
			var cover = SignedBuckets.covering(from, to);
			assertCountsEachQuarterHourOnce(from, to, cover);
			assertThat(cover.size()).as("%s to %s", from, to)
				.isLessThanOrEqualTo(BucketSpan.bucketCount(BucketSpan.covering(from, to)));
		}
	}

	/** Expands the cover into quarter hours with their signs: each in the range counts 1, each outside 0. */
	private static void assertCountsEachQuarterHourOnce(Instant from, Instant to, List<SignedBuckets.SignedBucket> cover) {
		var net = new HashMap<Instant, Integer>();
		for (var bucket : cover) {
			var start = bucket.bucket().start();
			var end = bucket.bucket().level().next(start);
			for (var at = start; at.isBefore(end); at = at.plusSeconds(900)) {
				net.merge(at, bucket.sign(), Integer::sum);
			}
		}
		net.values().removeIf(count -> count == 0);
		assertThat(net.values()).as("%s to %s", from, to).containsOnly(1);
		assertThat(net).hasSize((int) ((to.getEpochSecond() - from.getEpochSecond()) / 900));
		assertThat(net.keySet()).allSatisfy(at -> assertThat(at).isBetween(from, to.minusSeconds(900)));
	}
}
