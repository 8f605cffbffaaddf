package com.acme.helpdesk.support;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need more than PostgreSQL (RabbitMQ's STOMP plugin, Chromium) skip, saying what is missing, on a
 * machine without it; with {@code HELPDESK_TEST_REQUIRE_ALL=true} (set by {@code .ci/run}) they fail instead, so CI
 * never passes by skipping them.
 */
public final class ExternalService {

	static final String REQUIRE_ALL = "HELPDESK_TEST_REQUIRE_ALL";

	private ExternalService() {
	}

	public static void require(boolean available, String missing) {
		if (available) {
			return;
		}
		if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ALL))) {
			fail(missing + " (" + REQUIRE_ALL + "=true)");
		}
		Assumptions.abort(missing + "; skipped (set " + REQUIRE_ALL + "=true to fail instead)");
	}
}
