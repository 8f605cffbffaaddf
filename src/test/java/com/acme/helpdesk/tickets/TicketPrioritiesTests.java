package com.acme.helpdesk.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

@HelpdeskTest
@RecordApplicationEvents
class TicketPrioritiesTests {

	@Autowired
	TestApi api;

	@Autowired
	TicketPriorities priorities;

	@Autowired
	ApplicationEvents events;

	@Test
	void raisesThePriorityOneStepAndPublishesTheChangeUntilUrgent() {
		var merchant = api.newMerchant();
		var ticketId = UUID.fromString(api.post("/api/v1/tickets", merchant.adminKey(), Map.of("subject", "Help",
				"requester", Map.of("email", "ann@example.com"), "priority", "HIGH")).body().get("id").asText());

		assertThat(priorities.raise(merchant.id(), ticketId, "SLA escalation level 2")).isEqualTo(Priority.URGENT);
		assertThat(priorities.raise(merchant.id(), ticketId, "again")).isEqualTo(Priority.URGENT);

		assertThat(events.stream(TicketPriorityChanged.class)).singleElement().satisfies(e -> {
			assertThat(e.ticketId()).isEqualTo(ticketId);
			assertThat(e.from()).isEqualTo(Priority.HIGH);
			assertThat(e.to()).isEqualTo(Priority.URGENT);
			assertThat(e.reason()).isEqualTo("SLA escalation level 2");
		});
		assertThat(api.get("/api/v1/tickets/" + ticketId, merchant.adminKey()).body().get("priority").asText())
			.isEqualTo("URGENT");
		assertThatThrownBy(() -> priorities.raise(api.newMerchant().id(), ticketId, "x"))
			.isInstanceOf(NotFoundException.class);
	}
}
