package com.acme.helpdesk.shared;

/** A retention setting shorter than the replays its records guard against ({@link ReplayWindow#requireCoveredBy}). */
class RetentionTooShortException extends IllegalStateException {

	private final String property;
	private final String atLeast;

	RetentionTooShortException(String property, String atLeast, String message) {
		super(message);
		this.property = property;
		this.atLeast = atLeast;
	}

	String property() {
		return property;
	}

	String atLeast() {
		return atLeast;
	}
}
