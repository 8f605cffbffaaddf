package com.acme.helpdesk.tenancy;

import java.util.UUID;

/**
 * The caller of an {@code /api/v1} request: a merchant, acting with an admin key or as one of its agents, through the
 * API key {@code keyId}. Controllers receive it with {@code @AuthenticationPrincipal Tenant tenant}. What each role may
 * do: docs/security.md.
 */
public record Tenant(UUID merchantId, Role role, UUID agentId, UUID keyId) {

	public enum Role {
		ADMIN, AGENT
	}

	public boolean isAdmin() {
		return role == Role.ADMIN;
	}

	/** Throws {@link org.springframework.security.access.AccessDeniedException} (403) unless this is an admin key. */
	public void requireAdmin() {
		if (!isAdmin()) {
			throw new org.springframework.security.access.AccessDeniedException("This needs an admin key");
		}
	}
}
