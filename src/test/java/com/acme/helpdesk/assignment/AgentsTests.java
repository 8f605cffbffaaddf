package com.acme.helpdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;

/** The public read API of agents, scoped to one merchant. */
@HelpdeskTest
class AgentsTests {

	@Autowired
	TestApi api;

	@Autowired
	Agents agents;

	@Test
	void findsTheMerchantsOwnAgentsOnly() {
		var merchant = api.newMerchant();
		var other = api.newMerchant();
		var created = api.post("/api/v1/agents", merchant.adminKey(),
				Map.of("name", "Ada", "email", "ada@agents.test", "capacity", 3)).body();
		var id = UUID.fromString(created.get("id").asText());

		assertThat(agents.find(merchant.id(), id)).hasValue(new AgentContact(id, merchant.id(), "Ada", "ada@agents.test"));
		assertThat(agents.find(other.id(), id)).isEmpty();
		assertThat(agents.find(merchant.id(), UUID.randomUUID())).isEmpty();
		assertThat(agents.findAll(merchant.id(), List.of(id, UUID.randomUUID()))).extracting(AgentContact::email)
			.containsExactly("ada@agents.test");
		assertThat(agents.findAll(other.id(), List.of(id))).isEmpty();
	}
}
