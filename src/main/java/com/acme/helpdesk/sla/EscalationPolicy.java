package com.acme.helpdesk.sla;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A merchant's escalation levels, in order; level n (1-based) runs {@code after} the breach. */
record EscalationPolicy(List<Level> levels) {

	record Level(Duration after, EscalationAction action, List<UUID> supervisorAgentIds) {
	}

	static final EscalationPolicy NONE = new EscalationPolicy(List.of());

	/** Level {@code n} (1-based), or null past the last. */
	Level level(int n) {
		return n >= 1 && n <= levels.size() ? levels.get(n - 1) : null;
	}
}
