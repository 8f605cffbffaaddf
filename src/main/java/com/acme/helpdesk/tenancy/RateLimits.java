package com.acme.helpdesk.tenancy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * The per-merchant rate limit of {@code /api/**}: a token bucket per merchant in this process's memory (Bucket4j),
 * filled at the merchant's limit, which is read from {@code merchant_rate_limit} and read again in the background
 * every {@code helpdesk.rate-limit.refresh-after}. A request costs two cache look-ups and one lock-free bucket
 * update.
 */
@Service
class RateLimits {

	record Limit(long requests, Duration period) {

		/** The {@code RateLimit-Policy} field of this limit. */
		String policy() {
			return RateLimitHeaders.policy(RateLimitFilter.POLICY, requests, period.toSeconds());
		}
	}

	/** A request's answer: let through or not, what is left, and the seconds until the bucket is full again. */
	record Decision(boolean allowed, Limit limit, String policy, long remaining, long resetSeconds,
			long retryAfterSeconds) {
	}

	private record MerchantBucket(Limit limit, String policy, Bucket bucket) {
	}

	private final JdbcClient jdbc;
	private final Clock clock;
	private final RateLimitProperties properties;
	private final ClockTimeMeter time;
	private final LoadingCache<UUID, Limit> limits;
	private final Cache<UUID, MerchantBucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	RateLimits(JdbcClient jdbc, Clock clock, RateLimitProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.time = new ClockTimeMeter(() -> clock);
		// read again in the background once older than refresh-after: only a merchant's first request waits for it
		this.limits = Caffeine.newBuilder()
			.maximumSize(100_000)
			.refreshAfterWrite(properties.refreshAfter())
			.expireAfterAccess(Duration.ofHours(1))
			.build(merchantId -> stored(merchantId).orElse(properties.defaultLimit()));
	}

	Decision consume(UUID merchantId) {
		var limit = limits.get(merchantId);
		var merchantBucket = buckets.getIfPresent(merchantId);
		if (merchantBucket == null || !merchantBucket.limit().equals(limit)) {
			merchantBucket = buckets.asMap()
				.compute(merchantId, (id, current) -> current != null && current.limit().equals(limit) ? current
						: new MerchantBucket(limit, limit.policy(), bucket(limit)));
		}
		ConsumptionProbe probe = merchantBucket.bucket().tryConsumeAndReturnRemaining(1);
		return new Decision(probe.isConsumed(), limit, merchantBucket.policy(), probe.getRemainingTokens(),
				seconds(probe.getNanosToWaitForReset()),
				probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
	}

	Limit limitOf(UUID merchantId) {
		return stored(merchantId).orElse(properties.defaultLimit());
	}

	boolean isDefault(UUID merchantId) {
		return stored(merchantId).isEmpty();
	}

	void set(UUID merchantId, Limit limit) {
		jdbc.sql("""
				INSERT INTO merchant_rate_limit (merchant_id, requests, period_seconds, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (merchant_id) DO UPDATE SET requests = excluded.requests,
				    period_seconds = excluded.period_seconds, updated_at = excluded.updated_at""")
			.params(merchantId, limit.requests(), (int) limit.period().toSeconds(), Timestamp.from(clock.instant()))
			.update();
		limits.invalidate(merchantId);
	}

	void reset(UUID merchantId) {
		jdbc.sql("DELETE FROM merchant_rate_limit WHERE merchant_id = ?").param(merchantId).update();
		limits.invalidate(merchantId);
	}

	private Optional<Limit> stored(UUID merchantId) {
		return jdbc.sql("SELECT requests, period_seconds FROM merchant_rate_limit WHERE merchant_id = ?")
			.param(merchantId)
			.query((rs, row) -> new Limit(rs.getLong(1), Duration.ofSeconds(rs.getInt(2))))
			.optional();
	}

	private Bucket bucket(Limit limit) {
		return Bucket.builder()
			.addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
			.withCustomTimePrecision(time)
			.build();
	}

	private static long seconds(long nanos) {
		return (nanos + 999_999_999L) / 1_000_000_000L;
	}
}
