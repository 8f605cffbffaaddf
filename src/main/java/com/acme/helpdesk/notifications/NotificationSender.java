package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;
import com.acme.helpdesk.jobs.JobQueue;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.notifications.NotificationStore.State;
import com.acme.helpdesk.outbound.MerchantShareTakenException;
import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.outbound.OutboundRefusedException;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;

/**
 * Delivers one notification over its channel, once: the row is locked, delivered only while {@code PENDING}, and
 * marked {@code SENT} in the same transaction. An in-app notification publishes {@link NotificationCreated}. Each
 * failed attempt is counted on the notification with its reason ({@link #recordFailure}), for the merchant to see; a
 * job's last failed attempt marks its notification {@code FAILED}; when the job's dead letter is requeued, its run
 * makes it {@code PENDING} again first ({@link #retryFailed}).
 */
@Component
class NotificationSender {

	private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);

	private final NotificationStore store;
	private final EmailChannel email;
	private final WebhookChannel webhook;
	private final MerchantSettingsStore settings;
	private final ApplicationEventPublisher events;
	private final Deliveries deliveries;
	private final Clock clock;
	private final TransactionTemplate transactions;
	private final TransactionTemplate ownTransactions;
	private final JobQueues queues;
	private final OutboundCalls outbound;

	NotificationSender(NotificationStore store, EmailChannel email, WebhookChannel webhook, MerchantSettingsStore settings,
			ApplicationEventPublisher events, Deliveries deliveries, Clock clock,
			PlatformTransactionManager transactionManager, JobQueues queues, OutboundCalls outbound) {
		this.queues = queues;
		this.outbound = outbound;
		this.store = store;
		this.deliveries = deliveries;
		this.email = email;
		this.webhook = webhook;
		this.settings = settings;
		this.events = events;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
		this.ownTransactions = new TransactionTemplate(transactionManager);
		this.ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Delivers a job's notifications, each in a transaction of its own, so a retry after a partial failure sends only
	 * those still pending. A failed delivery is counted on its notification with its reason ({@code last}: marked
	 * {@code FAILED}); a webhook refused for its address is marked {@code FAILED} at once and fails the job without
	 * a retry; those whose merchant holds its share of the workers are published again as {@code rest} of them. An
	 * unknown notification is skipped. A requeued dead letter's run makes its notifications {@code PENDING} again first.
	 */
	void deliverEach(UUID merchantId, List<UUID> notificationIds, JobRun run,
			Function<List<UUID>, ? extends NotificationJob> rest) {
		if (run.requeued()) {
			retryFailed(merchantId, notificationIds);
		}
		var last = run.attempt() > queues.settings(JobQueue.NOTIFICATION).retries();
		var failures = new ArrayList<RuntimeException>();
		var postponed = new ArrayList<UUID>();
		OutboundRefusedException refused = null;
		for (var id : notificationIds) {
			try {
				transactions.executeWithoutResult(status -> deliver(merchantId, id));
			}
			catch (MerchantShareTakenException e) {
				postponed.add(id);
			}
			catch (OutboundRefusedException e) {
				recordFailure(id, e, true);
				refused = e;
			}
			catch (InvalidJobArgumentsException e) {
				log.warn("Skipping notification {}: {}", id, e.getMessage());
			}
			catch (RuntimeException e) {
				failures.add(e);
				recordFailure(id, e, last);
			}
		}
		if (!postponed.isEmpty()) {
			outbound.postpone(rest.apply(postponed), run);
		}
		if (!failures.isEmpty()) {
			throw failure(failures, notificationIds.size());
		}
		if (refused != null) {
			throw refused;
		}
	}

	private static RuntimeException failure(List<RuntimeException> failures, int deliveries) {
		if (failures.size() == 1 && deliveries == 1) {
			return failures.get(0);
		}
		var error = new IllegalStateException(
				failures.size() + " of " + deliveries + " deliveries failed; first: " + failures.get(0), failures.get(0));
		failures.stream().skip(1).forEach(error::addSuppressed);
		return error;
	}

	/** Answers whether this call delivered it ({@code false}: delivered before, or collected for a digest). */
	@Transactional(propagation = Propagation.MANDATORY)
	boolean deliver(UUID merchantId, UUID notificationId) {
		var notification = store.lock(merchantId, notificationId)
			.orElseThrow(() -> new InvalidJobArgumentsException(
					"Notification " + notificationId + " of merchant " + merchantId + " does not exist"));
		if (notification.state() != State.PENDING) {
			return false;
		}
		var now = clock.instant();
		deliveries.deliver(notification.channel(), () -> {
			switch (notification.channel()) {
				case IN_APP -> events.publishEvent(new NotificationCreated(UUID.randomUUID(), notification.id(),
						merchantId, notification.agentId(), notification.type(), notification.ticketId(), now));
				case EMAIL -> email.send(notification);
				case WEBHOOK -> webhook.send(notification, settings.of(merchantId));
			}
		});
		store.markSent(notification.id(), now);
		return true;
	}

	/**
	 * Before a requeued job's run: the failure that made the job a dead letter marked its notifications {@code FAILED};
	 * they are to be delivered again, once, as any pending one. Those delivered meanwhile stay as they are. One
	 * statement, in the caller's transaction when there is one ({@link #deliverEach} calls it without a proxy).
	 */
	void retryFailed(UUID merchantId, List<UUID> notificationIds) {
		store.markPendingAgain(merchantId, notificationIds);
	}

	/**
	 * Records a failed delivery attempt on the pending notification, for the merchant to see, in a transaction of its
	 * own (the delivery's rolled back); {@code last} marks it {@code FAILED}. A failure to record it is added to
	 * {@code error} rather than thrown over it.
	 */
	void recordFailure(UUID notificationId, RuntimeException error, boolean last) {
		try {
			ownTransactions.executeWithoutResult(
					status -> store.recordFailure(notificationId, describe(error), clock.instant(), last));
		}
		catch (RuntimeException e) {
			error.addSuppressed(e);
		}
	}

	/** A failed digest of the agent: its collected notifications show the failure and wait for the next digest. */
	void recordDigestFailure(UUID merchantId, UUID agentId, RuntimeException error) {
		try {
			ownTransactions.executeWithoutResult(
					status -> store.recordDigestFailure(merchantId, agentId, describe(error), clock.instant()));
		}
		catch (RuntimeException e) {
			error.addSuppressed(e);
		}
	}

	/** The longest error a notification keeps. */
	static final int MAX_ERROR = 1000;

	/** The failure as the merchant reads it: the exception's simple name and message, on one line. */
	static String describe(Throwable error) {
		var text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
		text = text.replaceAll("\\s+", " ").strip();
		return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
	}
}
