package com.acme.helpdesk.notifications;

import java.util.List;
import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

/**
 * Queue {@code helpdesk.notification} ({@code DeliverNotification}): {@link Deliver} (job {@code notification}),
 * {@link Batch} ({@code notification-batch}), {@link Digest} ({@code notification-digest}). A worker implements
 * {@code JobWorker<NotificationJob.Deliver>} and so on.
 */
public sealed interface NotificationJob extends HelpdeskJob {

	/** Delivers one notification record; {@code inApp} for an in-app one (only the database to write). */
	static Dispatch<Deliver> deliver(UUID merchantId, UUID notificationId, boolean inApp) {
		return Dispatch.of(new Deliver(merchantId, notificationId, inApp));
	}

	/** Delivers several notification records together. */
	static Dispatch<Batch> batch(UUID merchantId, List<UUID> notificationIds) {
		return Dispatch.of(new Batch(merchantId, List.copyOf(notificationIds)));
	}

	/** Sends an agent the digest of its pending notifications. */
	static Dispatch<Digest> digest(UUID merchantId, UUID agentId) {
		return Dispatch.of(new Digest(merchantId, agentId));
	}

	UUID merchantId();

	@Override
	default JobQueue queue() {
		return JobQueue.NOTIFICATION;
	}

	/** {@code inApp} is null in jobs published before it existed. */
	record Deliver(UUID merchantId, UUID notificationId, Boolean inApp) implements NotificationJob {

		@Override
		public String jobName() {
			return "notification";
		}

		@Override
		public String displayName() {
			return "notification " + notificationId;
		}
	}

	record Batch(UUID merchantId, List<UUID> notificationIds) implements NotificationJob {

		@Override
		public String jobName() {
			return "notification-batch";
		}

		@Override
		public String displayName() {
			return "notification-batch of " + notificationIds.size();
		}
	}

	record Digest(UUID merchantId, UUID agentId) implements NotificationJob {

		@Override
		public String jobName() {
			return "notification-digest";
		}

		@Override
		public String displayName() {
			return "notification-digest agent " + agentId;
		}
	}
}
