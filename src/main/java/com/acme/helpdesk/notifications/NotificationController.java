package com.acme.helpdesk.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.acme.helpdesk.notifications.NotificationStore.RecipientKind;
import com.acme.helpdesk.notifications.NotificationStore.State;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.PageResponse;
import com.acme.helpdesk.tenancy.Tenant;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The calling agent's in-app notifications and notification preferences; the delivery of every notification of the
 * merchant, for admin keys.
 */
@RestController
@Validated
class NotificationController {

	/**
	 * An agent's in-app notification, with its delivery: {@code state} ({@code PENDING} until delivered, then
	 * {@code SENT}), {@code sentAt}, the attempts that failed and the last one's error.
	 */
	record NotificationView(UUID id, NotificationType type, Channel channel, UUID ticketId, JsonNode payload,
			Instant createdAt, Instant readAt, State state, Instant sentAt, int failedAttempts, String lastError) {

		static NotificationView of(NotificationStore.Row row) {
			return new NotificationView(row.id(), row.type(), row.channel(), row.ticketId(), row.payload(),
					row.createdAt(), row.readAt(), row.state(), row.sentAt(), row.failedAttempts(), row.lastError());
		}
	}

	/** Who a notification is for: an agent (with its email, when known) or a requester. */
	record Recipient(RecipientKind kind, UUID agentId, String email) {
	}

	/**
	 * A notification of the merchant (any recipient and channel) and its delivery: {@code state} ({@code PENDING}
	 * while it is being delivered or retried, {@code SENT}, {@code FAILED} after its last attempt, {@code COLLECTED} for
	 * an agent's next digest, {@code DIGESTED}), the attempts that failed, the last one's error and time.
	 */
	record DeliveryView(UUID id, NotificationType type, Channel channel, Recipient recipient, UUID ticketId,
			State state, Instant createdAt, Instant sentAt, int failedAttempts, String lastError,
			Instant lastFailedAt) {

		static DeliveryView of(NotificationStore.Row row) {
			return new DeliveryView(row.id(), row.type(), row.channel(),
					new Recipient(row.kind(), row.agentId(), row.email()), row.ticketId(), row.state(), row.createdAt(),
					row.sentAt(), row.failedAttempts(), row.lastError(), row.lastFailedAt());
		}
	}

	record TypePreference(@NotNull @Size(max = 3) List<@NotNull Channel> channels, @NotNull Delivery delivery) {
	}

	record PreferencesView(@NotNull @Valid Map<String, @NotNull @Valid TypePreference> types) {
	}

	private final NotificationStore store;
	private final Preferences preferences;
	private final Clock clock;

	NotificationController(NotificationStore store, Preferences preferences, Clock clock) {
		this.store = store;
		this.preferences = preferences;
		this.clock = clock;
	}

	/** Unread first, then newest first. */
	@GetMapping("/api/v1/notifications")
	@Transactional(readOnly = true)
	PageResponse<NotificationView> list(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		var agentId = agentOf(tenant);
		var items = store.inbox(tenant.merchantId(), agentId, page * size, size)
			.stream()
			.map(NotificationView::of)
			.toList();
		return new PageResponse<>(items, page, size, store.inboxSize(tenant.merchantId(), agentId));
	}

	@PostMapping("/api/v1/notifications/{id}/read")
	@Transactional
	NotificationView read(@AuthenticationPrincipal Tenant tenant, @PathVariable UUID id) {
		return store.markRead(tenant.merchantId(), agentOf(tenant), id, clock.instant())
			.map(NotificationView::of)
			.orElseThrow(() -> new NotFoundException("Notification", id));
	}

	/**
	 * Admin keys: with {@code ticketId}, every notification of that ticket, newest first; without, the merchant's
	 * notifications whose delivery failed at least once (being retried, failed, or sent after a failure), newest failure
	 * first. {@code state} narrows either list.
	 */
	@GetMapping("/api/v1/notification-deliveries")
	@Transactional(readOnly = true)
	PageResponse<DeliveryView> deliveries(@AuthenticationPrincipal Tenant tenant,
			@RequestParam(required = false) UUID ticketId, @RequestParam(required = false) State state,
			@RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
		tenant.requireAdmin();
		var merchantId = tenant.merchantId();
		if (ticketId != null) {
			return new PageResponse<>(store.ofTicket(merchantId, ticketId, state, page * size, size)
				.stream()
				.map(DeliveryView::of)
				.toList(), page, size, store.countOfTicket(merchantId, ticketId, state));
		}
		return new PageResponse<>(
				store.failedOnce(merchantId, state, page * size, size).stream().map(DeliveryView::of).toList(), page,
				size, store.countFailedOnce(merchantId, state));
	}

	@GetMapping("/api/v1/notification-preferences")
	PreferencesView preferences(@AuthenticationPrincipal Tenant tenant) {
		return view(preferences.of(tenant.merchantId(), agentOf(tenant)));
	}

	/** Replaces the calling agent's preferences; the types left out get their defaults. */
	@PutMapping("/api/v1/notification-preferences")
	PreferencesView replace(@AuthenticationPrincipal Tenant tenant, @Valid @RequestBody PreferencesView request) {
		var agentId = agentOf(tenant);
		var types = new LinkedHashMap<NotificationType, Preferences.Preference>();
		request.types().forEach((name, preference) -> {
			NotificationType type;
			try {
				type = NotificationType.valueOf(name);
			}
			catch (IllegalArgumentException e) {
				throw new InvalidFieldException("types." + name, "is not a notification type; one of "
						+ Preferences.DEFAULTS.keySet());
			}
			if (!type.configurable()) {
				throw new InvalidFieldException("types." + name, "is not a type agents choose; one of "
						+ Preferences.DEFAULTS.keySet());
			}
			types.put(type, new Preferences.Preference(preference.channels(), preference.delivery()));
		});
		return view(preferences.replace(tenant.merchantId(), agentId, types));
	}

	private static PreferencesView view(Map<NotificationType, Preferences.Preference> preferences) {
		var types = new LinkedHashMap<String, TypePreference>();
		preferences.forEach((type, p) -> types.put(type.name(), new TypePreference(p.channels(), p.delivery())));
		return new PreferencesView(types);
	}

	private static UUID agentOf(Tenant tenant) {
		if (tenant.agentId() == null) {
			throw new AccessDeniedException("Notifications belong to agents: use an agent's API key");
		}
		return tenant.agentId();
	}
}
