package com.acme.helpdesk.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.acme.helpdesk.shared.ConflictException;
import com.acme.helpdesk.shared.InvalidFieldException;
import com.acme.helpdesk.shared.NotFoundException;
import com.acme.helpdesk.shared.PageResponse;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Issues, lists, revokes and resolves API keys. A key is 256 random bits shown once; only its SHA-256 is stored (the
 * keys are random, so a fast hash is enough and lets a key be found by its hash). A resolved key is kept for
 * {@code helpdesk.api-keys.resolution-cache} (1 s): a key revoked in one process stops working in every other within
 * that time; its expiry is checked on every request.
 */
@Service
public class ApiKeys {

	private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
	private static final SecureRandom RANDOM = new SecureRandom();
	private static final int PREFIX_LENGTH = 11;
	private static final Duration LONGEST_LIFE = Duration.ofDays(3660);
	private static final int LAST_USE_BACKLOG = 10_000;

	private record Resolved(Tenant tenant, Instant expiresAt) {

		boolean validAt(Instant now) {
			return expiresAt == null || now.isBefore(expiresAt);
		}
	}

	private record StoredKey(ApiKeyView view, String hash) {
	}

	private final JdbcClient jdbc;
	private final Clock clock;
	private final AuditTrail audit;
	private final AgentRoster agents;
	private final Cache<String, Optional<Resolved>> resolved;
	private final Cache<UUID, Instant> lastUseWritten;
	private final ThreadPoolExecutor lastUseWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(LAST_USE_BACKLOG), runnable -> {
				var thread = new Thread(runnable, "api-key-last-use");
				thread.setDaemon(true);
				return thread;
			});

	ApiKeys(JdbcClient jdbc, Clock clock, AuditTrail audit, AgentRoster agents, ApiKeyProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
		this.agents = agents;
		this.resolved = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(properties.resolutionCache()).build();
		this.lastUseWritten = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(properties.lastUsedPrecision())
			.build();
	}

	/** Issues a key acting as the given (new) agent on behalf of {@code actor}; returns the key, never stored in clear. */
	@Transactional
	public String issueAgentKey(Tenant actor, UUID agentId) {
		return issue(actor.merchantId(), actor.keyId(), Tenant.Role.AGENT, agentId, null).apiKey();
	}

	/** The first admin key of a new merchant, issued by the operations API. */
	@Transactional
	String issueAdminKey(UUID merchantId) {
		return issue(merchantId, null, Tenant.Role.ADMIN, null, null).apiKey();
	}

	/** A key an admin asked for; validates the request (400 naming the field) and writes nothing when it fails. */
	@Transactional
	ApiKeyView.Created create(Tenant actor, Tenant.Role role, UUID agentId, Instant expiresAt) {
		actor.requireAdmin();
		if (role == null) {
			throw new InvalidFieldException("role", "is required");
		}
		if (role == Tenant.Role.AGENT && agentId == null) {
			throw new InvalidFieldException("agentId", "is required for an AGENT key");
		}
		if (role == Tenant.Role.ADMIN && agentId != null) {
			throw new InvalidFieldException("agentId", "must be absent for an ADMIN key");
		}
		if (agentId != null && !agents.exists(actor.merchantId(), agentId)) {
			throw new InvalidFieldException("agentId", "no such agent");
		}
		var now = clock.instant();
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			throw new InvalidFieldException("expiresAt", "must be in the future");
		}
		if (expiresAt != null && expiresAt.isAfter(now.plus(LONGEST_LIFE))) {
			throw new InvalidFieldException("expiresAt", "must be within ten years");
		}
		return issue(actor.merchantId(), actor.keyId(), role, agentId, expiresAt);
	}

	/** The merchant's keys that are not revoked (expired ones included), newest first. */
	PageResponse<ApiKeyView> list(Tenant actor, int page, int size) {
		actor.requireAdmin();
		var items = jdbc.sql("""
				SELECT id, prefix, role, agent_id, created_at, last_used_at, expires_at FROM api_key
				WHERE merchant_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id LIMIT ? OFFSET ?""")
			.params(actor.merchantId(), size, (long) page * size)
			.query((rs, row) -> view(rs))
			.list();
		var total = jdbc.sql("SELECT count(*) FROM api_key WHERE merchant_id = ? AND revoked_at IS NULL")
			.param(actor.merchantId())
			.query(Long.class)
			.single();
		return new PageResponse<>(items, page, size, total);
	}

	/**
	 * Revokes one of the merchant's keys (404 for another merchant's or a revoked one); refuses (409) to revoke the
	 * merchant's last valid admin key. Two revocations at once cannot both pass that check: the admin keys are locked.
	 */
	@Transactional
	void revoke(Tenant actor, UUID keyId) {
		actor.requireAdmin();
		var key = jdbc.sql("""
				SELECT id, prefix, role, agent_id, created_at, last_used_at, expires_at, key_hash FROM api_key
				WHERE id = ? AND merchant_id = ? AND revoked_at IS NULL""")
			.params(keyId, actor.merchantId())
			.query((rs, row) -> new StoredKey(view(rs), rs.getString(8)))
			.optional()
			.orElseThrow(() -> new NotFoundException("API key", keyId));
		var view = key.view();
		var now = clock.instant();
		if (view.role() == Tenant.Role.ADMIN) {
			List<UUID> validAdmins = jdbc.sql("""
					SELECT id FROM api_key WHERE merchant_id = ? AND role = 'ADMIN' AND revoked_at IS NULL
					AND (expires_at IS NULL OR expires_at > ?) ORDER BY id FOR UPDATE""")
				.params(actor.merchantId(), Timestamp.from(now))
				.query(UUID.class)
				.list();
			if (validAdmins.equals(List.of(keyId))) {
				throw new ConflictException("This is the merchant's last valid admin key; create another one first");
			}
		}
		var revoked = jdbc.sql("UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
			.params(Timestamp.from(now), keyId)
			.update();
		if (revoked == 0) {
			throw new NotFoundException("API key", keyId);
		}
		audit.record(actor, "api-key.revoked", "api-key:" + keyId, view, null);
		var hash = key.hash();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				resolved.invalidate(hash);
			}
		});
	}

	/**
	 * The tenant an API key acts for; empty for an unknown, revoked or expired key. A key not in the cache is loaded by
	 * each request that misses it, not once for all of them: while the database is away each request then waits for
	 * its own connection bound, where a shared load would make the requests behind it wait one bound each in turn.
	 */
	public Optional<Tenant> resolve(String key) {
		var now = clock.instant();
		var hash = hash(key);
		var known = resolved.getIfPresent(hash);
		if (known == null) {
			known = load(hash);
			resolved.put(hash, known);
		}
		var tenant = known.filter(r -> r.validAt(now)).map(Resolved::tenant);
		tenant.ifPresent(t -> recordUse(t.keyId(), now));
		return tenant;
	}

	private Optional<Resolved> load(String hash) {
		return jdbc.sql("""
				SELECT merchant_id, role, agent_id, id, expires_at FROM api_key
				WHERE key_hash = ? AND revoked_at IS NULL""")
			.param(hash)
			.query((rs, row) -> new Resolved(new Tenant(rs.getObject(1, UUID.class), Tenant.Role.valueOf(rs.getString(2)),
					rs.getObject(3, UUID.class), rs.getObject(4, UUID.class)), instant(rs.getTimestamp(5))))
			.optional();
	}

	/**
	 * At most one write per key and process every {@code helpdesk.api-keys.last-used-precision}, on a thread of its
	 * own: no request waits for it (nor, while the database is away, for its connection bound). Dropped when
	 * {@value #LAST_USE_BACKLOG} writes are already waiting.
	 */
	private void recordUse(UUID keyId, Instant now) {
		if (lastUseWritten.asMap().putIfAbsent(keyId, now) != null) {
			return;
		}
		try {
			lastUseWriter.execute(() -> writeLastUse(keyId, now));
		}
		catch (RejectedExecutionException e) {
			lastUseWritten.invalidate(keyId);
		}
	}

	private void writeLastUse(UUID keyId, Instant now) {
		try {
			jdbc.sql("UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
				.params(Timestamp.from(now), keyId, Timestamp.from(now))
				.update();
		}
		catch (DataAccessException e) {
			lastUseWritten.invalidate(keyId);
			log.warn("Could not record the use of API key {}: {}", keyId, e.getMessage());
		}
	}

	/** Returns once the uses recorded so far are written (or failed). */
	void awaitLastUseWrites() throws InterruptedException, ExecutionException {
		lastUseWriter.submit(() -> {
		}).get();
	}

	@PreDestroy
	void stopWritingLastUses() {
		lastUseWriter.shutdownNow();
	}

	private ApiKeyView.Created issue(UUID merchantId, UUID actorKeyId, Tenant.Role role, UUID agentId,
			Instant expiresAt) {
		var bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		var key = "hd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		var id = UUID.randomUUID();
		var now = clock.instant();
		var prefix = key.substring(0, PREFIX_LENGTH);
		jdbc.sql("""
				INSERT INTO api_key (id, merchant_id, key_hash, prefix, role, agent_id, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(id, merchantId, hash(key), prefix, role.name(), agentId, Timestamp.from(now),
					expiresAt == null ? null : Timestamp.from(expiresAt))
			.update();
		var view = new ApiKeyView(id, prefix, role, agentId, now, null, expiresAt);
		audit.record(merchantId, actorKeyId, "api-key.created", "api-key:" + id, null, view);
		return ApiKeyView.Created.of(view, key);
	}

	private static ApiKeyView view(ResultSet rs) throws SQLException {
		return new ApiKeyView(rs.getObject(1, UUID.class), rs.getString(2), Tenant.Role.valueOf(rs.getString(3)),
				rs.getObject(4, UUID.class), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
				instant(rs.getTimestamp(7)));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	static String hash(String key) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
