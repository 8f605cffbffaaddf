package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.tickets.Assignee;
import com.acme.helpdesk.tenancy.AgentRoster;
import com.acme.helpdesk.tickets.AssigneeDirectory;

@Component
class AgentDirectory implements AssigneeDirectory, AgentRoster {

	private final AgentRepository agents;

	AgentDirectory(AgentRepository agents) {
		this.agents = agents;
	}

	@Override
	public Optional<Assignee> find(UUID merchantId, UUID agentId) {
		return agents.findByIdAndMerchantId(agentId, merchantId)
			.map(agent -> new Assignee(agent.id(), agent.load(), agent.capacity()));
	}

	@Override
	public boolean exists(UUID merchantId, UUID agentId) {
		return agents.findByIdAndMerchantId(agentId, merchantId).isPresent();
	}
}
