package com.acme.helpdesk;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Lets the run command ({@code ./mvnw spring-boot:test-run}, {@link DevelopmentHelpdeskApplication}) work on a fresh
 * machine: when no {@code spring.datasource.url} is configured, it uses the PostgreSQL on {@code localhost:5432}
 * (creating the database {@code helpdesk} there when missing), else starts an embedded PostgreSQL whose data lives in
 * {@code ~/.helpdesk/pgdata}, and warns loudly that this is a development database. Never with the profile
 * {@code prod} (see {@link ProductionSafety}). {@code HELPDESK_DEVELOPMENT_DATABASE} chooses: {@code auto} (that
 * order, the default), {@code local} (only the server on localhost) or {@code embedded} (only the embedded one).
 * <p>
 * It lives in src/test with its embedded PostgreSQL (a test-scoped dependency): the production jar has neither, and
 * requires {@code SPRING_DATASOURCE_URL} ({@link DatabaseRequired}).
 */
class LocalDatabaseFallback implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String MODE = "helpdesk.development-database";

	private static final Logger log = LoggerFactory.getLogger(LocalDatabaseFallback.class);
	private static final int EMBEDDED_PORT = 54329;

	private final String server;
	private final String database;

	LocalDatabaseFallback() {
		this("localhost:5432", "helpdesk");
	}

	/** The local server ({@code host:port}) and database to use; tests point it at theirs. */
	LocalDatabaseFallback(String server, String database) {
		this.server = server;
		this.database = database;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		var environment = event.getEnvironment();
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))
				|| ProductionSafety.isProduction(environment)) {
			return;
		}
		var mode = environment.getProperty(MODE, "auto").strip().toLowerCase(Locale.ROOT);
		if (!mode.equals("auto") && !mode.equals("local") && !mode.equals("embedded")) {
			throw new IllegalStateException("HELPDESK_DEVELOPMENT_DATABASE (" + MODE + ") is '" + mode
					+ "': use auto (the PostgreSQL on " + server + ", else an embedded one), local or embedded");
		}
		var user = environment.getProperty("spring.datasource.username", "postgres");
		var password = environment.getProperty("spring.datasource.password", "");
		if (!mode.equals("embedded") && useLocalServer(environment, user, password)) {
			return;
		}
		if (mode.equals("local")) {
			throw new IllegalStateException("No PostgreSQL on " + server + " (HELPDESK_DEVELOPMENT_DATABASE=local): "
					+ "start one, set SPRING_DATASOURCE_URL, or leave HELPDESK_DEVELOPMENT_DATABASE unset");
		}
		startEmbedded(environment);
	}

	/** After {@link ProductionSafety}, before {@link DatabaseRequired}. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	private boolean useLocalServer(ConfigurableEnvironment environment, String user, String password) {
		var properties = new Properties();
		properties.setProperty("user", user);
		properties.setProperty("password", password);
		properties.setProperty("connectTimeout", "2");
		try (var connection = DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", properties);
				var statement = connection.createStatement()) {
			var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'").next();
			if (!exists) {
				statement.execute("CREATE DATABASE " + database);
				log.info("Created database '{}' on {}", database, server);
			}
		}
		catch (SQLException e) {
			log.info("No usable PostgreSQL on {} ({})", server, e.getMessage());
			return false;
		}
		use(environment, "jdbc:postgresql://" + server + "/" + database, user, password);
		warnDevelopmentDatabase("PostgreSQL on " + server + ", database '" + database + "'");
		return true;
	}

	private void startEmbedded(ConfigurableEnvironment environment) {
		try {
			var dataDirectory = Path.of(System.getProperty("user.home"), ".helpdesk", "pgdata");
			var postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(EMBEDDED_PORT)
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (Exception ignored) {
					// the process is going away
				}
			}));
			use(environment, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
			warnDevelopmentDatabase("an embedded PostgreSQL on port " + EMBEDDED_PORT + " with data in " + dataDirectory);
		}
		catch (Exception | LinkageError e) {
			throw new IllegalStateException("""
					No PostgreSQL available: SPRING_DATASOURCE_URL is not set, no PostgreSQL was usable on %s \
					and the embedded PostgreSQL could not start (%s). Set SPRING_DATASOURCE_URL, \
					SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to a PostgreSQL 14 or later."""
				.formatted(server, e.getMessage()), e);
		}
	}

	static void warnDevelopmentDatabase(String database) {
		log.warn("""

				************************************************************************************
				* DEVELOPMENT DATABASE: SPRING_DATASOURCE_URL is not set, so this process uses
				*   {}.
				* Never run production like this: set SPRING_DATASOURCE_URL (the profile prod,
				* SPRING_PROFILES_ACTIVE=prod, refuses to start without it).
				************************************************************************************""", database);
	}

	private static void use(ConfigurableEnvironment environment, String url, String user, String password) {
		environment.getPropertySources()
			.addFirst(new MapPropertySource("localDatabaseFallback", Map.of("spring.datasource.url", url,
					"spring.datasource.username", user, "spring.datasource.password", password)));
	}
}
