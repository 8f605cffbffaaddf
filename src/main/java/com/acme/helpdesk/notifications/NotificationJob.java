package com.acme.helpdesk.notifications;

import java.util.List;
import java.util.UUID;

import com.acme.helpdesk.jobs.Dispatch;
import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobQueue;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * Queue {@code helpdesk.notification} ({@code DeliverNotification}): {@link Deliver} (job {@code notification}),
 * {@link Batch} ({@code notification-batch}), {@link Digest} ({@code notification-digest}). A worker implements
 * {@code JobWorker<NotificationJob.Deliver>} and so on.
 */
public sealed interface NotificationJob extends HelpdeskJob {

	/**
	 * Delivers the notifications of one event to one recipient, one per channel; {@code inApp} when they are all
	 * in-app (only the database to write).
	 */
	static Dispatch<Deliver> deliver(UUID merchantId, List<UUID> notificationIds, boolean inApp) {
		return Dispatch.of(new Deliver(merchantId, List.copyOf(notificationIds), inApp));
	}

	/** Delivers the notifications of one event to several recipients. */
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

	/**
	 * Jobs published before a job took all of a recipient's channels name one {@code notificationId}; they read as a
	 * list of one. {@code inApp} is null in jobs published before it existed.
	 */
	record Deliver(UUID merchantId,
			@JsonAlias("notificationId") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<UUID> notificationIds,
			Boolean inApp) implements NotificationJob {

		@Override
		public String jobName() {
			return "notification";
		}

		@Override
		public String displayName() {
			return "notification " + notificationIds.get(0) + (notificationIds.size() > 1 ? " and " + (notificationIds.size() - 1) + " more" : "");
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
