package com.acme.helpdesk.analytics;

import java.time.Instant;

/** One bucket of a level, by its UTC start (one of the buckets a range is read as). */
record BucketRef(BucketLevel level, Instant start) {

	BucketRef {
		if (!level.isStart(start)) {
			throw new IllegalArgumentException(start + " does not start a " + level + " bucket");
		}
	}

	Instant end() {
		return level.next(start);
	}
}
