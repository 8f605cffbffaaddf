package com.acme.helpdesk.support;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskExecutor;

import com.acme.helpdesk.HelpdeskApplication;

/**
 * The application whose asynchronous event listeners never run: its publications are committed and
 * stay incomplete, the state of a process killed after the commit and before its listeners ran.
 */
public class StalledListenersHelpdesk {

	public static void main(String[] args) {
		// mode auto: Boot then leaves the listeners' executor to the bean below instead of forcing its own
		var arguments = java.util.stream.Stream
			.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--spring.task.execution.mode=auto"))
			.toArray(String[]::new);
		SpringApplication.from(HelpdeskApplication::main).with(StalledExecutor.class).run(arguments);
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
