package com.acme.helpdesk.analytics;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import com.acme.helpdesk.support.MutableClock;

/** The context of the random-history tests: a settable clock and the recorder of the events analytics takes. */
@TestConfiguration(proxyBeanMethods = false)
class AnalyticsHistoryConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock(Instant.parse("2026-03-02T06:00:00Z"));
	}

	@Bean
	RecordedEvents recordedEvents() {
		return new RecordedEvents();
	}
}
