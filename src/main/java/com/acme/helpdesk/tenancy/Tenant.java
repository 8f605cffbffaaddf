package com.acme.helpdesk.tenancy;

import java.util.UUID;

/**
 * The caller of an {@code /api/v1} request: a merchant, acting with an admin key or as one of its agents.
 * Controllers receive it with {@code @AuthenticationPrincipal Tenant tenant}.
 */
public record Tenant(UUID merchantId, Role role, UUID agentId) {

	public enum Role {
		ADMIN, AGENT
	}

	public boolean isAdmin() {
		return role == Role.ADMIN;
	}
}
