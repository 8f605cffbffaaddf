package com.acme.helpdesk.notifications;

import java.time.Instant;
import java.util.UUID;

/** An in-app notification was delivered to an agent; for live delivery to that agent. */
public record NotificationCreated(UUID eventId, UUID notificationId, UUID merchantId, UUID agentId,
		NotificationType type, UUID ticketId, Instant occurredAt) {
}
