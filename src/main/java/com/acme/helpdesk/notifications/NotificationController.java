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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Notifications")
class NotificationController {

	/**
	 * An agent's in-app notification, with its delivery: {@code state} ({@code PENDING} until delivered, then
	 * {@code SENT}), {@code sentAt}, the attempts that failed and the last one's error.
	 */
	@Schema(name = "Notification", description = "A notification of the calling agent, with its delivery")
	record NotificationView(@Schema(description = "The notification's id") UUID id,
			@Schema(description = "What it is about") NotificationType type,
			@Schema(description = "How it reaches the agent") Channel channel,
			@Schema(description = "The ticket it is about", nullable = true) UUID ticketId,
			@Schema(description = "What the agent is told (by type: the ticket's number and subject, the new status...)")
			JsonNode payload,
			@Schema(description = "When it was made") Instant createdAt,
			@Schema(description = "When the agent marked it read", nullable = true) Instant readAt,
			@Schema(description = "Its delivery: `PENDING` until delivered, then `SENT`") State state,
			@Schema(description = "When it was delivered", nullable = true) Instant sentAt,
			@Schema(description = "Delivery attempts that failed") int failedAttempts,
			@Schema(description = "Why the last failed attempt failed", nullable = true) String lastError) {

		static NotificationView of(NotificationStore.Row row) {
			return new NotificationView(row.id(), row.type(), row.channel(), row.ticketId(), row.payload(),
					row.createdAt(), row.readAt(), row.state(), row.sentAt(), row.failedAttempts(), row.lastError());
		}
	}

	/** Who a notification is for: an agent (with its email, when known) or a requester. */
	@Schema(name = "NotificationRecipient", description = "Who a notification is for")
	record Recipient(@Schema(description = "An agent or the ticket's requester") RecipientKind kind,
			@Schema(description = "The agent (agents only)", nullable = true) UUID agentId,
			@Schema(description = "The mail address, when known", nullable = true) String email) {
	}

	/**
	 * A notification of the merchant (any recipient and channel) and its delivery: {@code state} ({@code PENDING}
	 * while it is being delivered or retried, {@code SENT}, {@code FAILED} after its last attempt, {@code COLLECTED} for
	 * an agent's next digest, {@code DIGESTED}), the attempts that failed, the last one's error and time.
	 */
	@Schema(name = "NotificationDelivery", description = "A notification of the merchant and its delivery")
	record DeliveryView(@Schema(description = "The notification's id") UUID id,
			@Schema(description = "What it is about") NotificationType type,
			@Schema(description = "How it is delivered") Channel channel, Recipient recipient,
			@Schema(description = "The ticket it is about", nullable = true) UUID ticketId,
			@Schema(description = "`PENDING` while it is being delivered or retried, `SENT`, `FAILED` after its last "
					+ "attempt, `COLLECTED` for an agent's next digest, `DIGESTED`") State state,
			@Schema(description = "When it was made") Instant createdAt,
			@Schema(description = "When it was delivered", nullable = true) Instant sentAt,
			@Schema(description = "Delivery attempts that failed") int failedAttempts,
			@Schema(description = "Why the last failed attempt failed", nullable = true) String lastError,
			@Schema(description = "When the last attempt failed", nullable = true) Instant lastFailedAt) {

		static DeliveryView of(NotificationStore.Row row) {
			return new DeliveryView(row.id(), row.type(), row.channel(),
					new Recipient(row.kind(), row.agentId(), row.email()), row.ticketId(), row.state(), row.createdAt(),
					row.sentAt(), row.failedAttempts(), row.lastError(), row.lastFailedAt());
		}
	}

	@Schema(description = "How an agent gets notifications of one type")
	record TypePreference(
			@Schema(description = "The channels (none: not notified)")
			@NotNull @Size(max = 3) List<@NotNull Channel> channels,
			@Schema(description = "At once, or collected into the next digest (`helpdesk.notifications.digest-interval`)")
			@NotNull Delivery delivery) {
	}

	@Schema(name = "NotificationPreferences", description = "An agent's notification preferences", example = """
			{"types": {"TICKET_ASSIGNED": {"channels": ["IN_APP", "EMAIL"], "delivery": "IMMEDIATE"}}}""")
	record PreferencesView(@Schema(description = "By notification type: `TICKET_ASSIGNED`, `CUSTOMER_REPLIED`, "
			+ "`STATUS_CHANGED`, `SLA_WARNING`, `SLA_BREACHED`, `TICKET_ESCALATED`; the types left out of a PUT get "
			+ "their defaults")
			@NotNull @Valid Map<String, @NotNull @Valid TypePreference> types) {
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
	@Operation(operationId = "listNotifications", summary = "List the agent's notifications", description = """
			The calling agent's notifications, unread first, then newest first. Needs an agent key.""")
	@ApiResponse(responseCode = "200", description = "A page of notifications")
	@ApiResponse(responseCode = "403", description = "An admin key: notifications belong to agents")
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
	@Operation(operationId = "markNotificationRead", summary = "Mark a notification read",
			description = "Sets `readAt` (once; a repeat changes nothing). Needs the agent's key.")
	@ApiResponse(responseCode = "200", description = "The notification")
	@ApiResponse(responseCode = "403", description = "An admin key: notifications belong to agents")
	NotificationView read(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "The notification's id") @PathVariable UUID id) {
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
	@Operation(operationId = "listNotificationDeliveries", summary = "List notification deliveries", description = """
			With `ticketId`: every notification of that ticket, newest first; without: the merchant's notifications \
			whose delivery failed at least once (being retried, failed, or sent after a failure), newest failure first. \
			`state` narrows either list. Needs an admin key.""")
	@ApiResponse(responseCode = "200", description = "A page of notifications")
	@ApiResponse(responseCode = "403", description = "An agent key: this needs an admin key")
	PageResponse<DeliveryView> deliveries(@AuthenticationPrincipal Tenant tenant,
			@Parameter(description = "Only the notifications of this ticket") @RequestParam(required = false) UUID ticketId,
			@Parameter(description = "Only the notifications in this state") @RequestParam(required = false) State state,
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
	@Operation(operationId = "getNotificationPreferences", summary = "Read the agent's notification preferences",
			description = "Per type: the channels and the delivery. Needs an agent key.")
	@ApiResponse(responseCode = "200", description = "The preferences")
	@ApiResponse(responseCode = "403", description = "An admin key: notifications belong to agents")
	PreferencesView preferences(@AuthenticationPrincipal Tenant tenant) {
		return view(preferences.of(tenant.merchantId(), agentOf(tenant)));
	}

	/** Replaces the calling agent's preferences; the types left out get their defaults. */
	@PutMapping("/api/v1/notification-preferences")
	@Operation(operationId = "replaceNotificationPreferences", summary = "Replace the agent's notification preferences",
			description = "The types left out get their defaults. Needs an agent key.")
	@ApiResponse(responseCode = "200", description = "The preferences, defaults included")
	@ApiResponse(responseCode = "403", description = "An admin key: notifications belong to agents")
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
