package com.acme.helpdesk.notifications;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.jobs.JobIdempotency;
import com.acme.helpdesk.jobs.JobRun;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.notifications.NotificationStore.NewNotification;
import com.acme.helpdesk.notifications.NotificationStore.RecipientKind;
import com.acme.helpdesk.notifications.NotificationStore.Row;
import com.acme.helpdesk.notifications.NotificationStore.State;
import com.acme.helpdesk.outbound.MerchantShareTakenException;
import com.acme.helpdesk.outbound.OutboundCalls;
import com.acme.helpdesk.tenancy.MerchantSettingsStore;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Use case (job {@code notification-digest}): sends an agent one digest per channel of everything collected since
 * the last one (one mail listing them, one in-app notification of type {@code DIGEST}, one webhook) and marks them
 * {@code DIGESTED}, in one transaction with the job's idempotency key. The collected rows stay locked meanwhile, so a
 * concurrent digest of the same agent finds nothing left. A failed digest counts on each collected notification, which
 * waits for the next one.
 */
@Component
class SendDigest implements JobWorker<NotificationJob.Digest> {

	private final NotificationStore store;
	private final EmailChannel email;
	private final WebhookChannel webhook;
	private final MerchantSettingsStore settings;
	private final JobIdempotency idempotency;
	private final ApplicationEventPublisher events;
	private final ObjectMapper json;
	private final Clock clock;
	private final OutboundCalls outbound;
	private final NotificationSender sender;
	private final Deliveries deliveries;

	SendDigest(NotificationStore store, EmailChannel email, WebhookChannel webhook, MerchantSettingsStore settings,
			JobIdempotency idempotency, ApplicationEventPublisher events, ObjectMapper json, Clock clock,
			OutboundCalls outbound, NotificationSender sender, Deliveries deliveries) {
		this.outbound = outbound;
		this.sender = sender;
		this.deliveries = deliveries;
		this.store = store;
		this.email = email;
		this.webhook = webhook;
		this.settings = settings;
		this.idempotency = idempotency;
		this.events = events;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public Class<NotificationJob.Digest> jobType() {
		return NotificationJob.Digest.class;
	}

	@Override
	public void run(NotificationJob.Digest job, JobRun run) {
		// the digest's id (the webhook-id) is the same on every attempt
		var digestId = UUID.nameUUIDFromBytes(("digest|" + run.idempotencyKey()).getBytes(StandardCharsets.UTF_8));
		try {
			idempotency.once(run, () -> send(job.merchantId(), job.agentId(), digestId));
		}
		catch (MerchantShareTakenException e) {
			outbound.postpone(job, run);
		}
		catch (RuntimeException e) {
			sender.recordDigestFailure(job.merchantId(), job.agentId(), e);
			throw e;
		}
	}

	private void send(UUID merchantId, UUID agentId, UUID digestId) {
		var collected = store.lockCollected(merchantId, agentId);
		if (collected.isEmpty()) {
			return;
		}
		var now = clock.instant();
		var byChannel = collected.stream().collect(Collectors.groupingBy(Row::channel));
		var inApp = byChannel.get(Channel.IN_APP);
		if (inApp != null) {
			var payload = json.createObjectNode();
			payload.put("count", inApp.size());
			var items = payload.putArray("items");
			inApp.forEach(item -> items.addObject()
				.put("id", item.id().toString())
				.put("type", item.type().name())
				.put("createdAt", item.createdAt().toString())
				.set("payload", item.payload()));
			// inserted with the job's idempotency key in one transaction, so this run is the first to write it
			var row = store.insertAll(merchantId, digestId, now, List.of(new NewNotification(RecipientKind.AGENT,
					agentId.toString(), agentId, inApp.get(0).email(), NotificationType.DIGEST, Channel.IN_APP,
					State.SENT, null, payload))).get(0).id();
			events.publishEvent(new NotificationCreated(UUID.randomUUID(), row, merchantId, agentId,
					NotificationType.DIGEST, null, now));
		}
		var hooks = byChannel.get(Channel.WEBHOOK);
		if (hooks != null) {
			var data = json.createObjectNode();
			data.put("count", hooks.size());
			var items = data.putArray("items");
			hooks.forEach(item -> items.addObject()
				.put("id", item.id().toString())
				.put("type", item.type().name())
				.put("createdAt", item.createdAt().toString())
				.set("payload", item.payload()));
			var recipient = json.createObjectNode().put("kind", "AGENT").put("agentId", agentId.toString())
				.put("email", hooks.get(0).email());
			deliveries.deliver(Channel.WEBHOOK, () -> webhook.post(settings.of(merchantId), digestId.toString(),
					NotificationType.DIGEST, now.toString(), merchantId.toString(), null, recipient, data));
		}
		// after the webhook: a webhook sent twice carries one webhook-id, a mail sent twice is two mails
		var mails = byChannel.get(Channel.EMAIL);
		if (mails != null) {
			deliveries.deliver(Channel.EMAIL, () -> email.sendDigest(mails.get(0).email(), mails));
		}
		store.markDigested(collected.stream().map(Row::id).toList(), digestId, now);
	}
}
