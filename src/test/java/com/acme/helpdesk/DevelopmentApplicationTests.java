package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The run command ({@code ./mvnw spring-boot:test-run}) and the jar start different applications with no main class
 * configured: Boot's plugin takes the only main class of src/test for the one, of src/main for the other. The
 * development application adds the database fallback, whose switch ({@code HELPDESK_DEVELOPMENT_DATABASE}) is checked
 * here; the fallback to the local server is in {@link ProductionSafetyTests}.
 */
class DevelopmentApplicationTests {

	@Test
	void theRunCommandAndTheJarEachFindOneMainClass() {
		assertThat(mainClasses(ImportOption.Predefined.ONLY_INCLUDE_TESTS))
			.as("main classes of src/test: spring-boot:test-run fails when there are two")
			.containsExactly(DevelopmentHelpdeskApplication.class.getName());
		assertThat(mainClasses(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS))
			.as("main classes of src/main: the jar's Start-Class")
			.containsExactly(HelpdeskApplication.class.getName());
	}

	@Test
	void theDevelopmentDatabaseSwitchLimitsTheFallbackToTheLocalServerOrRefusesAnUnknownValue() {
		var local = environment(Map.of(LocalDatabaseFallback.MODE, "local"));
		// nothing listens on port 1
		assertThatThrownBy(() -> new LocalDatabaseFallback("127.0.0.1:1", "helpdesk").onApplicationEvent(event(local)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("No PostgreSQL on 127.0.0.1:1 (HELPDESK_DEVELOPMENT_DATABASE=local)");
		assertThat(local.getProperty("spring.datasource.url")).isNull();

		var unknown = environment(Map.of(LocalDatabaseFallback.MODE, "docker"));
		assertThatThrownBy(() -> new LocalDatabaseFallback().onApplicationEvent(event(unknown)))
			.hasMessageContaining("HELPDESK_DEVELOPMENT_DATABASE (helpdesk.development-database) is 'docker'");
	}

	private static Set<String> mainClasses(ImportOption scope) {
		var names = new TreeSet<String>();
		for (var type : new ClassFileImporter().withImportOption(scope).importPackages("com.acme")) {
			type.getMethods().stream()
				.filter(method -> method.getName().equals("main")
						&& method.getModifiers().containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC))
						&& method.getRawParameterTypes().size() == 1
						&& method.getRawParameterTypes().get(0).getName().equals(String[].class.getName()))
				.forEach(method -> names.add(type.getName()));
		}
		return names;
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
