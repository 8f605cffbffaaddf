package com.acme.helpdesk.tenancy;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers (structured
 * fields: {@code "name";q=<quota>;w=<window seconds>} and {@code "name";r=<remaining>;t=<seconds to reset>}).
 */
final class RateLimitHeaders {

	private RateLimitHeaders() {
	}

	static String policy(String name, long quota, long windowSeconds) {
		return "\"" + name + "\";q=" + quota + ";w=" + windowSeconds;
	}

	static void write(HttpServletResponse response, String name, String policy, long remaining, long resetSeconds) {
		response.setHeader("RateLimit-Policy", policy);
		response.setHeader("RateLimit", "\"" + name + "\";r=" + remaining + ";t=" + resetSeconds);
	}
}
