package com.acme.helpdesk.assignment;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to agents for other modules, always scoped to one merchant. */
@Service
public class Agents {

	private final AgentRepository agents;

	Agents(AgentRepository agents) {
		this.agents = agents;
	}

	@Transactional(readOnly = true)
	public Optional<AgentContact> find(UUID merchantId, UUID agentId) {
		if (merchantId == null || agentId == null) {
			return Optional.empty();
		}
		return agents.findByIdAndMerchantId(agentId, merchantId).map(Agents::contact);
	}

	/** The merchant's agents among {@code agentIds}; unknown ids and other merchants' agents are left out. */
	@Transactional(readOnly = true)
	public List<AgentContact> findAll(UUID merchantId, Collection<UUID> agentIds) {
		if (agentIds.isEmpty()) {
			return List.of();
		}
		return agents.findByMerchantIdAndIdIn(merchantId, agentIds).stream().map(Agents::contact).toList();
	}

	private static AgentContact contact(Agent agent) {
		return new AgentContact(agent.id(), agent.merchantId(), agent.name(), agent.email());
	}
}
