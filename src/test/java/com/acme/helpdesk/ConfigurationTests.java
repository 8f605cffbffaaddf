package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.context.support.StandardServletEnvironment;

import com.acme.helpdesk.support.TestDatabase;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The service's own settings: every one is a component of a validated {@code @ConfigurationProperties} record and a
 * row of README's configuration table, and a bad value stops the whole application's start-up naming the property
 * (the queue layer's settings in detail: {@code jobs.internal.QueuePropertiesTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationTests {

	static final Set<String> READING_METHODS = Set.of("getProperty", "getRequiredProperty", "containsProperty",
			"resolvePlaceholders", "resolveRequiredPlaceholders");

	@Test
	void everySettingIsAValidatedRecordAndARowOfTheReadmesTable() throws Exception {
		var table = configurationTable();
		var missing = new TreeSet<String>();
		for (var type : settingsRecords()) {
			assertThat(type.isRecord()).as("%s is a record", type.getName()).isTrue();
			assertThat(type.isAnnotationPresent(Validated.class)).as("%s is @Validated", type.getName()).isTrue();
			for (var variable : environmentVariables(prefixOf(type), type)) {
				if (!table.contains("`" + variable + "`")) {
					missing.add(variable + " (" + type.getSimpleName() + ")");
				}
			}
		}
		assertThat(missing).as("settings missing from README's configuration table").isEmpty();
	}

	@Test
	void theReadmesTableNamesNoVariableThatSetsNothing() throws Exception {
		var known = new TreeSet<String>();
		for (var type : settingsRecords()) {
			known.addAll(environmentVariables(prefixOf(type), type));
		}
		// variables that application.yml reads itself, e.g. HELPDESK_MAIL_FROM for helpdesk.notifications.mail-from
		var placeholders = Pattern.compile("\\$\\{(HELPDESK_[A-Z_]+)").matcher(
				Files.readString(Path.of("src/main/resources/application.yml")));
		while (placeholders.find()) {
			known.add(placeholders.group(1));
		}
		var named = Pattern.compile("`(HELPDESK_[A-Z_<>]+)`").matcher(configurationTable());
		var unknown = new TreeSet<String>();
		while (named.find()) {
			if (!known.contains(named.group(1))) {
				unknown.add(named.group(1));
			}
		}
		assertThat(unknown).as("variables in README's configuration table that no setting reads").isEmpty();
	}

	@Test
	void theServiceReadsNoSettingThroughValueTheBinderOrTheEnvironment() {
		var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(HelpdeskApplication.class.getPackageName());
		assertThat(classes).as("the service's classes").hasSizeGreaterThan(100);
		var reads = new TreeSet<String>();
		for (var type : classes) {
			type.getFields().stream().filter(field -> field.isAnnotatedWith(Value.class)).forEach(f -> reads.add(f.getFullName()));
			for (var code : type.getCodeUnits()) {
				if (code.isAnnotatedWith(Value.class)
						|| code.getParameters().stream().anyMatch(parameter -> parameter.isAnnotatedWith(Value.class))) {
					reads.add(code.getFullName() + " takes an @Value");
				}
				for (var call : code.getMethodCallsFromSelf()) {
					var target = call.getTarget();
					var binder = target.getOwner().isAssignableTo(Binder.class) && target.getName().equals("get");
					// the listeners that run before any bean exists look into the environment themselves
					var environment = target.getOwner().isAssignableTo(PropertyResolver.class)
							&& READING_METHODS.contains(target.getName()) && !type.isEquivalentTo(ProductionSafety.class)
							&& !type.isEquivalentTo(DatabaseRequired.class);
					if (binder || environment) {
						reads.add(call.getDescription());
					}
				}
			}
		}
		assertThat(reads).as("settings read other than through @ConfigurationProperties records").isEmpty();
	}

	@Test
	void aBadSettingStopsTheApplicationsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> run(Map.of("HELPDESK_SLA_SWEEP_LIMIT", "0")));

		// Boot names a record's invalid component as the record has it
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.sla.sweepLimit")
			.contains("Value: \"0\"")
			.contains("Origin: System Environment Property \"HELPDESK_SLA_SWEEP_LIMIT\"");
	}

	@Test
	void anUnparseableDurationStopsTheApplicationsStartUpNamingTheProperty(CapturedOutput output) {
		assertThatThrownBy(() -> run(Map.of("HELPDESK_ENRICHMENT_TIMEOUT", "two seconds")));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: helpdesk.enrichment.timeout")
			.contains("Value: \"two seconds\"");
	}

	@Test
	void aRetentionShorterThanTheReplaysItGuardsAgainstStopsTheApplicationsStartUpNamingTheSettings(CapturedOutput output) {
		assertThatThrownBy(() -> run(Map.of("HELPDESK_PROCESSED_EVENTS_RETENTION", "P1D")));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("helpdesk.processed-events.retention (P1D) is shorter than the longest time an event "
					+ "can reach a listener again: P7DT5M = helpdesk.outbox.purge-incomplete-older-than (P7D) + "
					+ "helpdesk.outbox.resubmit-older-than (PT5M)")
			.contains("Set helpdesk.processed-events.retention (HELPDESK_PROCESSED_EVENTS_RETENTION) to at least P7DT5M");
	}

	/** The application as the run command starts it, on the test database, with these environment variables only. */
	private static void run(Map<String, Object> environmentVariables) {
		var environment = new StandardServletEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
		var application = HelpdeskApplication.application();
		application.setEnvironment(environment);
		try (var context = application.run("--spring.datasource.url=" + TestDatabase.url(),
				"--spring.datasource.username=" + TestDatabase.user(),
				"--spring.datasource.password=" + TestDatabase.password(), "--server.port=0",
				"--helpdesk.run-mode=api", "--jobrunr.dashboard.enabled=false",
				"--spring.modulith.events.republish-outstanding-events-on-restart=false")) {
			throw new AssertionError("the application started");
		}
	}

	private static String configurationTable() throws IOException {
		var readme = Files.readString(Path.of("README.md"));
		var start = readme.indexOf("## Configuration");
		assertThat(start).as("README has a section Configuration").isNotNegative();
		var end = readme.indexOf("\n## ", start + 1);
		return readme.substring(start, end < 0 ? readme.length() : end);
	}

	private static List<Class<?>> settingsRecords() throws ClassNotFoundException {
		var scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		var types = new ArrayList<Class<?>>();
		for (var candidate : scanner.findCandidateComponents(HelpdeskApplication.class.getPackageName())) {
			var type = Class.forName(candidate.getBeanClassName());
			if (prefixOf(type).startsWith("helpdesk")) {
				types.add(type);
			}
		}
		assertThat(types).as("the settings records").hasSizeGreaterThan(10);
		return types;
	}

	private static String prefixOf(Class<?> type) {
		var annotation = type.getAnnotation(ConfigurationProperties.class);
		return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
	}

	/** The environment variable of each setting; a map's key, or a queue's component, is {@code <QUEUE>}. */
	private static List<String> environmentVariables(String prefix, Class<?> type) {
		var variables = new ArrayList<String>();
		for (var component : type.getRecordComponents()) {
			var name = prefix + "." + kebab(component.getName());
			var valueType = component.getType();
			if (Map.class.isAssignableFrom(valueType)
					&& component.getGenericType() instanceof ParameterizedType map
					&& map.getActualTypeArguments()[1] instanceof Class<?> values && values.isRecord()) {
				variables.addAll(environmentVariables(name + ".<queue>", values));
			}
			else if (valueType.isRecord() && isTableOfQueues(valueType)) {
				// one component per queue (jobs.internal.QueueProperties.Queues): README has one row per setting
				variables.addAll(environmentVariables(name + ".<queue>", valueType.getRecordComponents()[0].getType()));
			}
			else if (valueType.isRecord()) {
				variables.addAll(environmentVariables(name, valueType));
			}
			else {
				variables.add(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
			}
		}
		return variables;
	}

	/** A record whose components are all records of one type, one per queue. */
	private static boolean isTableOfQueues(Class<?> type) {
		var components = type.getRecordComponents();
		return components.length == com.acme.helpdesk.jobs.JobQueue.values().length && components[0].getType().isRecord()
				&& java.util.Arrays.stream(components).allMatch(c -> c.getType() == components[0].getType());
	}

	private static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}
}
