package com.acme.helpdesk.tenancy;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers (structured
 * fields: {@code "name";q=<quota>;w=<window seconds>} and {@code "name";r=<remaining>;t=<seconds to reset>}).
 */
final class RateLimitHeaders {

	private RateLimitHeaders() {
	}

	static void write(HttpServletResponse response, String policy, long quota, long windowSeconds, long remaining,
			long resetSeconds) {
		response.setHeader("RateLimit-Policy", "\"%s\";q=%d;w=%d".formatted(policy, quota, windowSeconds));
		response.setHeader("RateLimit", "\"%s\";r=%d;t=%d".formatted(policy, remaining, resetSeconds));
	}
}
