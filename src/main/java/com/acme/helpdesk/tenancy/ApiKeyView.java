package com.acme.helpdesk.tenancy;

import java.time.Instant;
import java.util.UUID;

/** An API key as its merchant's admin sees it: never the key itself (shown once, in {@link Created}) nor its hash. */
record ApiKeyView(UUID id, String prefix, Tenant.Role role, UUID agentId, Instant createdAt, Instant lastUsedAt,
		Instant expiresAt) {

	record Created(UUID id, String prefix, Tenant.Role role, UUID agentId, Instant createdAt, Instant lastUsedAt,
			Instant expiresAt, String apiKey) {

		static Created of(ApiKeyView view, String apiKey) {
			return new Created(view.id(), view.prefix(), view.role(), view.agentId(), view.createdAt(),
					view.lastUsedAt(), view.expiresAt(), apiKey);
		}
	}
}
