package com.acme.helpdesk.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of consecutive buckets of one level, from {@code from} up to (without) {@code to}: a range is read as at most seven of them (quarter hours,
 * hours, days, months, days, hours, quarter hours).
 */
record BucketSpan(BucketLevel level, Instant from, Instant to) {

	private static final BucketLevel[] LARGEST_FIRST = { BucketLevel.MONTH, BucketLevel.DAY, BucketLevel.HOUR,
			BucketLevel.QUARTER_HOUR };

	/**
	 * The fewest whole UTC-aligned buckets covering {@code from} (inclusive) to {@code to} (exclusive) exactly, as runs: from each point on, the largest
	 * bucket that starts there and ends in the range (the levels nest, so taking the largest first is never worse).
	 *
	 * @throws IllegalArgumentException when {@code from} or {@code to} is not on a quarter hour, or from is not before to
	 */
	static List<BucketSpan> covering(Instant from, Instant to) {
		if (!BucketLevel.QUARTER_HOUR.isStart(from) || !BucketLevel.QUARTER_HOUR.isStart(to)) {
			throw new IllegalArgumentException("a range is read in whole quarter hours: " + from + " to " + to);
		}
		if (!from.isBefore(to)) {
			throw new IllegalArgumentException("an empty range: " + from + " to " + to);
		}
		var spans = new ArrayList<BucketSpan>();
		var at = from;
		while (at.isBefore(to)) {
			for (var level : LARGEST_FIRST) {
				if (level.isStart(at) && !level.next(at).isAfter(to)) {
					var end = level.next(at);
					var last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
					if (last != null && last.level == level && last.to.equals(at)) {
						spans.set(spans.size() - 1, new BucketSpan(level, last.from, end));
					}
					else {
						spans.add(new BucketSpan(level, at, end));
					}
					at = end;
					break;
				}
			}
		}
		return spans;
	}

	/** The bucket starts of this run. */
	List<Instant> starts() {
		var starts = new ArrayList<Instant>();
		for (var at = from; at.isBefore(to); at = level.next(at)) {
			starts.add(at);
		}
		return starts;
	}

	/** How many buckets a set of runs reads. */
	static int bucketCount(List<BucketSpan> spans) {
		return spans.stream().mapToInt(span -> span.starts().size()).sum();
	}
}
