package com.acme.helpdesk.support;

import java.util.List;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskExecutor;

/**
 * The application whose asynchronous event listeners never run: its publications are committed and
 * stay incomplete, the state of a process killed after the commit and before its listeners ran. A
 * {@link HelpdeskProcess} of {@code HelpdeskApplication} started with {@link #ARGUMENTS} (no main class of its own: the
 * run command, {@code spring-boot:test-run}, starts the one main class of src/test).
 */
public final class StalledListenersHelpdesk {

	/** An executor that drops every task as a source of the context, and Boot's executor left to it (mode auto). */
	public static final List<String> ARGUMENTS = List.of("--spring.main.sources=" + StalledExecutor.class.getName(),
			"--spring.task.execution.mode=auto");

	private StalledListenersHelpdesk() {
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class StalledExecutor {

		@Bean(name = "taskExecutor")
		TaskExecutor taskExecutor() {
			return task -> {
				// dropped: the listener never runs
			};
		}
	}
}
