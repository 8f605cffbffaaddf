package com.acme.helpdesk.realtime;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends one event to every destination it belongs to: the merchant's observation topic, the ticket's room
 * and, for messages, the message's room. Each frame carries the {@link LiveEnvelope} and an {@code event-id}
 * header that is the same for a replayed event.
 */
@Component
class LiveFanOut {

	static final String EVENT_ID_HEADER = "event-id";

	private final SimpMessagingTemplate broker;
	private final MeterRegistry meters;

	LiveFanOut(SimpMessagingTemplate broker, MeterRegistry meters) {
		this.broker = broker;
		this.meters = meters;
	}

	/** Serializes the envelope once and sends it to each destination of the event. */
	void push(LiveEvent event) {
		meters.counter("helpdesk.realtime.events.pushed", "event", event.event()).increment();
		var headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setNativeHeader(EVENT_ID_HEADER, event.id());
		headers.setLeaveMutable(true);
		var message = broker.getMessageConverter().toMessage(event.envelope(), headers.getMessageHeaders());
		if (message == null) {
			throw new IllegalStateException("No converter for " + event.event());
		}
		broker.send(Destinations.observation(event.merchantId()), message);
		if (event.ticketId() != null) {
			broker.send(Destinations.ticketRoom(event.ticketId()), message);
			if (event.messageId() != null) {
				broker.send(Destinations.messageRoom(event.ticketId(), event.messageId()), message);
			}
		}
	}
}
