package com.acme.helpdesk.analytics;

/** The durations kept as sketches per bucket, with the counters that hold their count and sum. */
enum DurationMetric {
	FIRST_RESPONSE(Figure.FIRST_RESPONSE_COUNT, Figure.FIRST_RESPONSE_MILLIS),
	RESOLUTION(Figure.RESOLUTION_COUNT, Figure.RESOLUTION_MILLIS),
	BUSINESS_FIRST_RESPONSE(Figure.BUSINESS_FIRST_RESPONSE_COUNT, Figure.BUSINESS_FIRST_RESPONSE_MILLIS),
	BUSINESS_RESOLUTION(Figure.BUSINESS_RESOLUTION_COUNT, Figure.BUSINESS_RESOLUTION_MILLIS);

	final Figure count;
	final Figure millis;

	DurationMetric(Figure count, Figure millis) {
		this.count = count;
		this.millis = millis;
	}
}
