package com.acme.helpdesk.shared;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a retention too short the way Spring Boot reports a bad setting: what is wrong, and what to set. */
class RetentionTooShortFailureAnalyzer extends AbstractFailureAnalyzer<RetentionTooShortException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RetentionTooShortException cause) {
		var variable = cause.property().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
		return new FailureAnalysis(cause.getMessage(),
				"Set %s (%s) to at least %s, or shorten the settings named above.".formatted(cause.property(), variable,
						cause.atLeast()),
				cause);
	}
}
