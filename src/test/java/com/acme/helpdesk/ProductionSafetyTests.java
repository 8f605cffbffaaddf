package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The profile {@code prod} refuses to start, naming what to set, without a datasource URL, an operations token or a
 * dashboard password of its own; without {@code prod} the jar's application still needs a datasource URL, which only
 * the run command's development application (src/test) finds or makes. The refusals run the application as the jar
 * does ({@link HelpdeskApplication#application()}); each fails before any bean is made.
 */
class ProductionSafetyTests {

	static final String URL = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere";
	static final String TOKEN = "--helpdesk.ops-token=an-operations-token-of-at-least-32-chars";
	static final String DASHBOARD_PASSWORD = "--jobrunr.dashboard.password=a-dashboard-password-of-mine";
	static final String MAIL_HOST = "--spring.mail.host=smtp.example.test";

	@Test
	void refusesToStartWithoutADatasourceUrl() {
		assertThatThrownBy(() -> run("--spring.datasource.url=", TOKEN, DASHBOARD_PASSWORD, MAIL_HOST))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Refusing to start with the profile prod")
			.hasMessageContaining("SPRING_DATASOURCE_URL")
			.hasMessageNotContaining("HELPDESK_OPS_TOKEN")
			.hasMessageNotContaining("JOBRUNR_DASHBOARD_PASSWORD")
			.hasMessageNotContaining("SPRING_MAIL_HOST");
	}

	@Test
	void refusesToStartWithoutAnOperationsToken() {
		assertThatThrownBy(() -> run(URL, "--helpdesk.ops-token=", DASHBOARD_PASSWORD, MAIL_HOST))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("HELPDESK_OPS_TOKEN")
			.hasMessageNotContaining("SPRING_DATASOURCE_URL")
			.hasMessageNotContaining("JOBRUNR_DASHBOARD_PASSWORD");
	}

	@Test
	void refusesToStartWithoutAnSmtpHostRatherThanWritingMailToTheDevelopmentSink() {
		assertThatThrownBy(() -> run(URL, TOKEN, DASHBOARD_PASSWORD))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Refusing to start with the profile prod")
			.hasMessageContaining("SPRING_MAIL_HOST")
			.hasMessageNotContaining("SPRING_DATASOURCE_URL")
			.hasMessageNotContaining("HELPDESK_OPS_TOKEN")
			.hasMessageNotContaining("JOBRUNR_DASHBOARD_PASSWORD");
		assertThatThrownBy(() -> run(URL, TOKEN, DASHBOARD_PASSWORD, "--spring.mail.host="))
			.as("an empty SPRING_MAIL_HOST")
			.hasMessageContaining("SPRING_MAIL_HOST");
	}

	@Test
	void refusesToStartWithTheDashboardsDefaultPassword() {
		assertThatThrownBy(() -> run(URL, TOKEN, MAIL_HOST, "--jobrunr.dashboard.password=change-me"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("JOBRUNR_DASHBOARD_PASSWORD")
			.hasMessageNotContaining("SPRING_DATASOURCE_URL")
			.hasMessageNotContaining("HELPDESK_OPS_TOKEN");
		assertThatThrownBy(() -> run(URL, TOKEN))
			.as("the password of application.yml when JOBRUNR_DASHBOARD_PASSWORD is not set")
			.hasMessageContaining("JOBRUNR_DASHBOARD_PASSWORD");
	}

	@Test
	void namesEverythingMissingAtOnce() {
		assertThatThrownBy(() -> run("--spring.datasource.url=", "--helpdesk.ops-token="))
			.hasMessageContaining("SPRING_DATASOURCE_URL")
			.hasMessageContaining("HELPDESK_OPS_TOKEN")
			.hasMessageContaining("JOBRUNR_DASHBOARD_PASSWORD")
			.hasMessageContaining("SPRING_MAIL_HOST");
	}

	@Test
	void passesWhenAllIsSetOrTheDashboardIsOff() {
		assertThatCode(() -> check(Map.of("spring.datasource.url", "jdbc:postgresql://db/helpdesk",
				"helpdesk.ops-token", "t", "jobrunr.dashboard.enabled", "true", "jobrunr.dashboard.password", "mine",
				"spring.mail.host", "smtp.example.test")))
			.doesNotThrowAnyException();
		assertThatCode(() -> check(Map.of("spring.datasource.url", "jdbc:postgresql://db/helpdesk",
				"helpdesk.ops-token", "t", "jobrunr.dashboard.enabled", "false", "jobrunr.dashboard.password", "change-me",
				"spring.mail.host", "smtp.example.test")))
			.doesNotThrowAnyException();
	}

	@Test
	void theLocalDatabaseFallbackNeverRunsWithTheProfileProd() {
		var environment = environment(Map.of());
		environment.setActiveProfiles("prod");

		new LocalDatabaseFallback().onApplicationEvent(event(environment));

		assertThat(environment.getPropertySources().contains("localDatabaseFallback")).isFalse();
		assertThat(environment.getProperty("spring.datasource.url")).isNull();
	}

	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void outsideProdTheFallbackStaysAndWarnsThatItIsADevelopmentDatabase(
			org.springframework.boot.test.system.CapturedOutput output) {
		// the test run's own database on the test server, which exists already: nothing is created
		var url = com.acme.helpdesk.support.TestDatabase.url();
		var matcher = java.util.regex.Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+).*").matcher(url);
		assertThat(matcher.matches()).isTrue();
		var environment = environment(Map.of("spring.datasource.username", com.acme.helpdesk.support.TestDatabase.user(),
				"spring.datasource.password", com.acme.helpdesk.support.TestDatabase.password()));

		new LocalDatabaseFallback(matcher.group(1), matcher.group(2)).onApplicationEvent(event(environment));

		assertThat(environment.getProperty("spring.datasource.url")).endsWith("/" + matcher.group(2));
		assertThat(output.getOut()).contains("WARN").contains("DEVELOPMENT DATABASE").contains(matcher.group(2));
	}

	@Test
	void withoutADatasourceUrlTheJarsApplicationStopsSayingWhatToSetEvenOutsideProd() {
		assertThatThrownBy(() -> {
			try (var context = HelpdeskApplication.application().run("--spring.datasource.url=", "--server.port=0")) {
				throw new AssertionError("the application started");
			}
		}).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("No database: set SPRING_DATASOURCE_URL")
			.hasMessageContaining("./mvnw spring-boot:test-run");
	}

	private static void run(String... arguments) {
		var all = new ArrayList<>(List.of("--spring.profiles.active=prod", "--server.port=0"));
		all.addAll(Arrays.asList(arguments));
		try (var context = HelpdeskApplication.application().run(all.toArray(String[]::new))) {
			throw new AssertionError("the application started");
		}
	}

	private static void check(Map<String, Object> properties) {
		var environment = environment(properties);
		environment.setActiveProfiles("prod");
		new ProductionSafety().onApplicationEvent(event(environment));
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		var environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private static ApplicationEnvironmentPreparedEvent event(StandardEnvironment environment) {
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				new SpringApplication(HelpdeskApplication.class), new String[0], environment);
	}
}
