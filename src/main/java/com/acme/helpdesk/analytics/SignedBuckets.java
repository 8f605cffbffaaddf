package com.acme.helpdesk.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A range {@code [from, to)} as whole buckets added and taken away: a local day of Europe/Berlin (23:00 to 23:00 UTC)
 * is the UTC day plus the hour before it minus its last hour (3 rows), not 24 hours. Figures and sketches hold
 * counts, so taking a bucket away is exact. At each level the range's ends are rounded down or up, whichever needs
 * fewer buckets of the finer levels to correct them.
 */
final class SignedBuckets {

	record SignedBucket(BucketRef bucket, int sign) {
	}

	private static final BucketLevel[] LARGEST_FIRST = { BucketLevel.MONTH, BucketLevel.DAY, BucketLevel.HOUR,
			BucketLevel.QUARTER_HOUR };

	private SignedBuckets() {
	}

	/**
	 * @throws IllegalArgumentException when {@code from} or {@code to} is not on a quarter hour, or from is not before to
	 */
	static List<SignedBucket> covering(Instant from, Instant to) {
		if (!BucketLevel.QUARTER_HOUR.isStart(from) || !BucketLevel.QUARTER_HOUR.isStart(to)) {
			throw new IllegalArgumentException("a range is read in whole quarter hours: " + from + " to " + to);
		}
		if (!from.isBefore(to)) {
			throw new IllegalArgumentException("an empty range: " + from + " to " + to);
		}
		var net = new LinkedHashMap<BucketRef, Integer>();
		for (var bucket : cover(from, to, 0, 1)) {
			net.merge(bucket.bucket(), bucket.sign(), Integer::sum);
		}
		var buckets = new ArrayList<SignedBucket>();
		net.forEach((bucket, sign) -> {
			if (sign != 0) {
				buckets.add(new SignedBucket(bucket, sign));
			}
		});
		return buckets;
	}

	/** {@code sign} times {@code [a, b)} ({@code a <= b}), using levels from {@code LARGEST_FIRST[levelIndex]} down. */
	private static List<SignedBucket> cover(Instant a, Instant b, int levelIndex, int sign) {
		var buckets = new ArrayList<SignedBucket>();
		if (a.equals(b)) {
			return buckets;
		}
		var level = LARGEST_FIRST[levelIndex];
		if (levelIndex == LARGEST_FIRST.length - 1) {
			for (var at = a; at.isBefore(b); at = level.next(at)) {
				buckets.add(new SignedBucket(new BucketRef(level, at), sign));
			}
			return buckets;
		}
		var bucketStart = level.floor(a);
		if (Duration.between(a, b).compareTo(Duration.between(bucketStart, level.next(bucketStart)).dividedBy(2)) < 0) {
			// a bucket of this level would need more than the range itself taken away again
			return cover(a, b, levelIndex + 1, sign);
		}
		List<SignedBucket> best = null;
		var outer = count(level, level.floor(a), ceil(level, b));
		if (outer <= 2) {
			best = cover(a, b, levelIndex + 1, sign);
		}
		for (var lo : new Instant[] { level.floor(a), ceil(level, a) }) {
			for (var hi : new Instant[] { level.floor(b), ceil(level, b) }) {
				if (!lo.isBefore(hi)) {
					continue;
				}
				var candidate = new ArrayList<SignedBucket>();
				for (var at = lo; at.isBefore(hi); at = level.next(at)) {
					candidate.add(new SignedBucket(new BucketRef(level, at), sign));
				}
				candidate.addAll(lo.isBefore(a) ? cover(lo, a, levelIndex + 1, -sign) : cover(a, lo, levelIndex + 1, sign));
				candidate.addAll(hi.isBefore(b) ? cover(hi, b, levelIndex + 1, sign) : cover(b, hi, levelIndex + 1, -sign));
				if (best == null || candidate.size() < best.size()) {
					best = candidate;
				}
			}
		}
		return best != null ? best : cover(a, b, levelIndex + 1, sign);
	}

	private static Instant ceil(BucketLevel level, Instant instant) {
		return level.isStart(instant) ? instant : level.next(level.floor(instant));
	}

	private static int count(BucketLevel level, Instant from, Instant to) {
		int count = 0;
		for (var at = from; at.isBefore(to) && count < 3; at = level.next(at)) {
			count++;
		}
		return count;
	}

	/** Sums {@code rows} with their signs; a bucket missing from {@code rows} holds nothing. */
	static Figures sum(List<SignedBucket> buckets, Map<BucketRef, Figures> rows) {
		var sum = new Figures();
		for (var bucket : buckets) {
			var row = rows.get(bucket.bucket());
			if (row != null) {
				sum.add(row, bucket.sign());
			}
		}
		return sum;
	}
}
