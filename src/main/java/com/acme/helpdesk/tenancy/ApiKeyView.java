package com.acme.helpdesk.tenancy;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** An API key as its merchant's admin sees it: never the key itself (shown once, in {@link Created}) nor its hash. */
@Schema(name = "ApiKey", description = "An API key of the merchant (never the key itself)")
record ApiKeyView(@Schema(description = "The key's id") UUID id,
		@Schema(description = "The key's first characters, to recognise it", example = "hd_3kF9") String prefix,
		@Schema(description = "Its role") Tenant.Role role,
		@Schema(description = "The agent an `AGENT` key acts as", nullable = true) UUID agentId,
		@Schema(description = "When it was created") Instant createdAt,
		@Schema(description = "When it was last used (to the minute)", nullable = true) Instant lastUsedAt,
		@Schema(description = "When it stops working", nullable = true) Instant expiresAt) {

	@Schema(name = "CreatedApiKey", description = "A new API key, with the key itself (shown only here)")
	record Created(@Schema(description = "The key's id") UUID id,
			@Schema(description = "The key's first characters, to recognise it", example = "hd_3kF9") String prefix,
			@Schema(description = "Its role") Tenant.Role role,
			@Schema(description = "The agent an `AGENT` key acts as", nullable = true) UUID agentId,
			@Schema(description = "When it was created") Instant createdAt,
			@Schema(description = "When it was last used", nullable = true) Instant lastUsedAt,
			@Schema(description = "When it stops working", nullable = true) Instant expiresAt,
			@Schema(description = "The key (`hd_...`): keep it, it is not shown again") String apiKey) {

		static Created of(ApiKeyView view, String apiKey) {
			return new Created(view.id(), view.prefix(), view.role(), view.agentId(), view.createdAt(),
					view.lastUsedAt(), view.expiresAt(), apiKey);
		}
	}
}
