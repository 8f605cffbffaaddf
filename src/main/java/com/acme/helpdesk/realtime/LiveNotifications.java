package com.acme.helpdesk.realtime;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * In-app notifications to one agent's live sessions, on {@code /user/queue/notifications}, as a
 * {@link LiveEnvelope} with event {@code notification.created}. Works across processes when the broker
 * relay is on. Delivery is best effort to whoever is connected now; the notification record is the truth.
 */
@Service
public class LiveNotifications {

	private final SimpMessagingTemplate broker;
	private final Counter pushed;
	private final Clock clock;

	LiveNotifications(SimpMessagingTemplate broker, MeterRegistry meters, Clock clock) {
		this.broker = broker;
		this.pushed = meters.counter("helpdesk.realtime.notifications.pushed");
		this.clock = clock;
	}

	/**
	 * Pushes {@code payload} (any JSON-serializable value, e.g. the notification's view) to the agent's
	 * sessions. {@code notificationId} becomes the frame's {@code event-id} header (so a repeated push is
	 * recognisable); {@code ticketId} may be null.
	 */
	public void push(UUID merchantId, UUID agentId, UUID notificationId, UUID ticketId, Object payload) {
		var event = new LiveEvent("notification.created", merchantId, ticketId, null, clock.instant(), null, null);
		var envelope = new LiveEnvelope(LiveEnvelope.TOPIC, event.room(), event.event(), merchantId, ticketId, null,
				event.occurredAt(), null, payload);
		pushed.increment();
		broker.convertAndSendToUser(LiveUser.name(merchantId, agentId), Destinations.NOTIFICATIONS_USER_DESTINATION,
				envelope, Map.<String, Object>of(LiveFanOut.EVENT_ID_HEADER, notificationId.toString()));
	}
}
