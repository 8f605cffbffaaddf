package com.acme.helpdesk.sla;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

/** The supervisors a merchant's escalation policy names, over all its levels; told about every breach. */
@Service
public class EscalationSupervisors {

	private final EscalationPolicies policies;

	EscalationSupervisors(EscalationPolicies policies) {
		this.policies = policies;
	}

	public List<UUID> of(UUID merchantId) {
		return policies.of(merchantId)
			.levels()
			.stream()
			.flatMap(level -> level.supervisorAgentIds().stream())
			.distinct()
			.toList();
	}
}
