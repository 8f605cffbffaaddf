package com.acme.helpdesk.support;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Function;

import org.awaitility.core.ConditionFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ScenarioCustomizer;

/**
 * Gives every {@link org.springframework.modulith.test.Scenario} of a test class a generous limit (30 s instead of
 * Awaitility's 10 s) for the state change or event it waits for, on a shared machine; Spring Modulith's default
 * customization (polling on the application's executor) stays.
 */
public class PatientScenarios implements ScenarioCustomizer {

	static final Duration LIMIT = Duration.ofSeconds(30);

	@Override
	public Function<ConditionFactory, ConditionFactory> getDefaultCustomizer(Method method, ApplicationContext context) {
		return ScenarioCustomizer.forwardExecutorService(context).andThen(conditions -> conditions.atMost(LIMIT));
	}
}
