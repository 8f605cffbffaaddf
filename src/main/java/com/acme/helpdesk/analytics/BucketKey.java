package com.acme.helpdesk.analytics;

import java.time.Instant;
import java.util.Comparator;

/**
 * One row of {@code analytics_bucket} of a merchant: the bucket (level and UTC start) and the dimension's key
 * ({@code ""} for {@link Dimension#MERCHANT}, an agent, category or tag id, or a priority's name). Ordered as the
 * table's primary key, the order rows are written in.
 */
record BucketKey(BucketLevel level, Instant start, Dimension dimension, String key) implements Comparable<BucketKey> {

	static final Comparator<BucketKey> PRIMARY_KEY_ORDER = Comparator.comparing(BucketKey::dimension)
		.thenComparing(BucketKey::level)
		.thenComparing(BucketKey::start)
		.thenComparing(BucketKey::key);

	BucketKey {
		if (!level.isStart(start)) {
			throw new IllegalArgumentException(start + " does not start a " + level + " bucket");
		}
	}

	BucketRef bucket() {
		return new BucketRef(level, start);
	}

	@Override
	public int compareTo(BucketKey other) {
		return PRIMARY_KEY_ORDER.compare(this, other);
	}
}
