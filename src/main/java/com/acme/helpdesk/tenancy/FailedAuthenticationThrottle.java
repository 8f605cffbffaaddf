package com.acme.helpdesk.tenancy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.acme.helpdesk.shared.FailedAuthentications;
import com.acme.helpdesk.shared.ProblemType;
import com.acme.helpdesk.shared.Problems;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Throttles guessing of API keys, the operations token and the JobRunr dashboard's password per client address: each request that presented a
 * credential and was answered 401 takes a token from its address's bucket ({@code helpdesk.failed-authentication}:
 * {@code failures} per {@code window}, refilled at the end of each window). While the bucket is empty, every request
 * from that address that presents a credential answers 429, right or wrong, before the credential is looked at; the
 * moment an address is throttled, a WARN line (“Failed authentication throttled”) and the counter
 * {@code helpdesk_auth_throttled_total} tell the operator. Runs just before Spring Security's filter chain.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER - 1)
class FailedAuthenticationThrottle extends OncePerRequestFilter implements FailedAuthentications, MeterBinder {

	static final String POLICY = "failed-authentication";

	private static final Logger log = LoggerFactory.getLogger(FailedAuthenticationThrottle.class);

	private final FailedAuthenticationProperties properties;
	private final ClockTimeMeter time;
	private final ObjectProvider<MeterRegistry> meters;
	private final Cache<String, Bucket> buckets;

	/** Clock and meters looked up when first needed: filters are made when the web server starts, before most beans can be. */
	FailedAuthenticationThrottle(FailedAuthenticationProperties properties, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meters) {
		this.properties = properties;
		this.time = new ClockTimeMeter(SingletonSupplier.of(clock::getObject));
		this.meters = meters;
		this.buckets = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterAccess(properties.window().multipliedBy(2).plus(Duration.ofMinutes(1)))
			.build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.AUTHORIZATION) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var address = request.getRemoteAddr();
		var retryAfter = retryAfterSeconds(address);
		if (retryAfter > 0) {
			tooMany(response, retryAfter);
			return;
		}
		chain.doFilter(request, response);
		if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
			failed(address);
		}
	}

	@Override
	public long retryAfterSeconds(String address) {
		var bucket = buckets.getIfPresent(address);
		if (bucket == null) {
			return 0;
		}
		var estimate = bucket.estimateAbilityToConsume(1);
		return estimate.canBeConsumed() ? 0 : seconds(estimate.getNanosToWaitForRefill());
	}

	@Override
	public void failed(String address) {
		var probe = buckets.get(address, a -> newBucket()).tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed() && probe.getRemainingTokens() == 0) {
			throttled(meters.getObject()).increment();
			log.warn("Failed authentication throttled: client address {} presented {} wrong credentials within {};"
					+ " its requests with credentials answer 429 for {} s", address, properties.failures(),
					properties.window(), seconds(probe.getNanosToWaitForReset()));
		}
	}

	/** Registered at start-up, so an alert on its increase sees the first throttle (0 to 1). */
	@Override
	public void bindTo(MeterRegistry registry) {
		throttled(registry);
	}

	private static Counter throttled(MeterRegistry registry) {
		return Counter.builder("helpdesk.auth.throttled")
			.description("Client addresses throttled after too many failed authentications")
			.register(registry);
	}

	private Bucket newBucket() {
		return Bucket.builder()
			.addLimit(limit -> limit.capacity(properties.failures())
				.refillIntervally(properties.failures(), properties.window()))
			.withCustomTimePrecision(time)
			.build();
	}

	private void tooMany(HttpServletResponse response, long retryAfter) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		RateLimitHeaders.write(response, POLICY,
				RateLimitHeaders.policy(POLICY, properties.failures(), properties.window().toSeconds()), 0, retryAfter);
		Problems.write(response, ProblemType.AUTHENTICATION_THROTTLED, "Too Many Requests",
				"Too many failed authentications from this address; retry after %d s".formatted(retryAfter), Map.of());
	}

	private static long seconds(long nanos) {
		return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
	}
}
