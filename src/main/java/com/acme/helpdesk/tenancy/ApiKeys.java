package com.acme.helpdesk.tenancy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Issues and resolves API keys. A key is 256 random bits shown once; only its SHA-256 is stored (the
 * keys are random, so a fast hash is enough and lets a key be found by its hash).
 */
@Service
public class ApiKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;
	private final Clock clock;
	private final Cache<String, Optional<Tenant>> resolved = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofSeconds(30))
		.build();

	ApiKeys(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Issues a key acting as the given agent; returns the key, which is never stored in clear. */
	@Transactional
	public String issueAgentKey(UUID merchantId, UUID agentId) {
		return issue(merchantId, Tenant.Role.AGENT, agentId);
	}

	@Transactional
	String issueAdminKey(UUID merchantId) {
		return issue(merchantId, Tenant.Role.ADMIN, null);
	}

	/** The tenant an API key acts for; empty for an unknown or revoked key. */
	public Optional<Tenant> resolve(String key) {
		return resolved.get(hash(key), hash -> jdbc
			.sql("SELECT merchant_id, role, agent_id FROM api_key WHERE key_hash = ? AND revoked_at IS NULL")
			.param(hash)
			.query((rs, row) -> new Tenant(rs.getObject(1, UUID.class), Tenant.Role.valueOf(rs.getString(2)),
					rs.getObject(3, UUID.class)))
			.optional());
	}

	private String issue(UUID merchantId, Tenant.Role role, UUID agentId) {
		var bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		var key = "hd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		jdbc.sql("""
				INSERT INTO api_key (id, merchant_id, key_hash, role, agent_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?)""")
			.params(UUID.randomUUID(), merchantId, hash(key), role.name(), agentId,
					java.sql.Timestamp.from(clock.instant()))
			.update();
		return key;
	}

	static String hash(String key) {
		try {
			var digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
