package com.acme.helpdesk.realtime;

import java.util.Map;

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

	void push(LiveEvent event) {
		meters.counter("helpdesk.realtime.events.pushed", "event", event.event()).increment();
		var envelope = event.envelope();
		Map<String, Object> headers = Map.of(EVENT_ID_HEADER, event.id());
		broker.convertAndSend(Destinations.observation(event.merchantId()), envelope, headers);
		if (event.ticketId() != null) {
			broker.convertAndSend(Destinations.ticketRoom(event.ticketId()), envelope, headers);
			if (event.messageId() != null) {
				broker.convertAndSend(Destinations.messageRoom(event.ticketId(), event.messageId()), envelope, headers);
			}
		}
	}
}
