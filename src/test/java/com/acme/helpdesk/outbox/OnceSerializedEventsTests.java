package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.acme.helpdesk.tickets.TicketStatus;
import com.acme.helpdesk.tickets.TicketStatusChanged;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class OnceSerializedEventsTests {

	static final class CountingMapper extends ObjectMapper {

		final AtomicInteger writes = new AtomicInteger();

		CountingMapper() {
			registerModule(new JavaTimeModule());
		}

		@Override
		public String writeValueAsString(Object value) throws JsonProcessingException {
			writes.incrementAndGet();
			return super.writeValueAsString(value);
		}
	}

	final CountingMapper mapper = new CountingMapper();
	final OnceSerializedEvents serializer = new OnceSerializedEvents(mapper);

	@Test
	void serializesAnEventOnceForAllItsListenersAndAsTheMapperWould() throws Exception {
		var event = statusChange();
		var listeners = List.of("sla", "notifications", "surveys", "assignment", "realtime");

		var stored = listeners.stream().map(listener -> serializer.serialize(event)).distinct().toList();

		assertThat(stored).singleElement().isEqualTo(new ObjectMapper().registerModule(new JavaTimeModule())
			.writeValueAsString(event));
		assertThat(mapper.writes).hasValue(1);
		assertThat(serializer.deserialize(stored.get(0), TicketStatusChanged.class)).isEqualTo(event);
	}

	@Test
	void anotherEventIsSerializedAnewEvenWhenEqual() {
		var event = statusChange();
		var equal = new TicketStatusChanged(event.eventId(), event.ticketId(), event.merchantId(), event.from(),
				event.to(), event.reason(), event.assigneeId(), event.occurredAt(), event.ticketVersion());
		var other = statusChange();

		serializer.serialize(event);
		serializer.serialize(equal);
		var otherJson = serializer.serialize(other);

		assertThat(mapper.writes).hasValue(3);
		assertThat(otherJson.toString()).contains(other.eventId().toString()).doesNotContain(event.eventId().toString());
	}

	private static TicketStatusChanged statusChange() {
		return new TicketStatusChanged(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), TicketStatus.OPEN,
				TicketStatus.RESOLVED, "done", null, Instant.parse("2026-12-01T10:00:00Z"), 1);
	}
}
