package com.acme.helpdesk.tenancy;

import java.io.IOException;
import java.util.Map;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.acme.helpdesk.shared.ProblemType;
import com.acme.helpdesk.shared.Problems;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts each authenticated {@code /api/**} request against its merchant's limit ({@link RateLimits}); over it, 429.
 * Ordered right after Spring Security's filter chain, so the caller's {@link Tenant} is known.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER + 1)
class RateLimitFilter extends OncePerRequestFilter {

	static final String POLICY = "merchant";

	private final RateLimits rateLimits;

	/** Lazy: filters are made when the web server starts, before the database is configured in tests. */
	RateLimitFilter(@Lazy RateLimits rateLimits) {
		this.rateLimits = rateLimits;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof Tenant tenant)) {
			chain.doFilter(request, response);
			return;
		}
		var decision = rateLimits.consume(tenant.merchantId());
		var limit = decision.limit();
		RateLimitHeaders.write(response, POLICY, decision.policy(), decision.remaining(),
				decision.allowed() ? decision.resetSeconds() : decision.retryAfterSeconds());
		if (!decision.allowed()) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
			Problems.write(response, ProblemType.RATE_LIMITED, "Too Many Requests",
					"This merchant's rate limit of %d requests per %s is used up; retry after %d s".formatted(
							limit.requests(), limit.period(), decision.retryAfterSeconds()),
					Map.of());
			return;
		}
		chain.doFilter(request, response);
	}
}
