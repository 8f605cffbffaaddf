package com.acme.helpdesk.analytics;

/**
 * What figures are broken down by, in {@code analytics_bucket.dimension}. A ticket's figures count for its current
 * agent, category, tags and priority (a reassignment moves all of them); {@code MERCHANT} (key {@code ""}) holds the
 * whole merchant.
 */
enum Dimension {
	MERCHANT,
	AGENT,
	CATEGORY,
	TAG,
	PRIORITY
}
