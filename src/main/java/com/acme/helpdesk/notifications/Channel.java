package com.acme.helpdesk.notifications;

/** How a notification reaches its recipient. */
public enum Channel {
	/** Stored, listed by {@code GET /api/v1/notifications}, pushed live ({@link NotificationCreated}). */
	IN_APP,
	/** Mail through the configured SMTP server. */
	EMAIL,
	/** A signed POST to the merchant's webhook URL. */
	WEBHOOK
}
