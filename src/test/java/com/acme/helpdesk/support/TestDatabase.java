package com.acme.helpdesk.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;

/**
 * PostgreSQL databases of the test run's own, on the server named by {@code HELPDESK_TEST_DB_URL}
 * (a JDBC URL of any database on that server, default {@code jdbc:postgresql://localhost:5432/postgres}),
 * with {@code HELPDESK_TEST_DB_USER} / {@code HELPDESK_TEST_DB_PASSWORD}: one per Spring test context
 * ({@link #create()}, as a Testcontainers database would be), and one per JVM for applications a test starts itself
 * ({@link #url()}). Each has a fresh name, so two runs, and two cached contexts with their job servers still running,
 * never see each other's rows or jobs; each is dropped when the JVM exits, after the application contexts have closed.
 */
public final class TestDatabase {

	private static final String SERVER_URL = env("HELPDESK_TEST_DB_URL", "jdbc:postgresql://localhost:5432/postgres");
	private static final String USER = env("HELPDESK_TEST_DB_USER", "postgres");
	private static final String PASSWORD = env("HELPDESK_TEST_DB_PASSWORD", "");

	private static final AtomicInteger CREATED = new AtomicInteger();

	private static volatile String url;

	private TestDatabase() {
	}

	/** The JVM's database, for applications a test starts itself. */
	public static synchronized String url() {
		if (url == null) {
			url = create();
		}
		return url;
	}

	/** A new database (its JDBC URL), dropped when the JVM exits. */
	public static String create() {
		var name = "helpdesk_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
				+ ProcessHandle.current().pid() + "_" + CREATED.incrementAndGet();
		execute("CREATE DATABASE " + name);
		// after the application contexts have closed: they read the database while closing (Spring Modulith's
		// registry lists incomplete publications), and under a JVM shutdown hook of its own the drop raced them,
		// each close then waiting out Hikari's 30-s connection timeout
		SpringApplication.getShutdownHandlers().add(() -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
		return SERVER_URL.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
	}

	/**
	 * Drops this run's database now, for a JVM that started no Spring application of its own (whose shutdown handlers
	 * would drop it otherwise); every connection to it must be closed or is ended.
	 */
	public static synchronized void drop() {
		if (url != null) {
			execute("DROP DATABASE IF EXISTS " + url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1") + " WITH (FORCE)");
		}
	}

	public static String user() {
		return USER;
	}

	public static String password() {
		return PASSWORD;
	}

	private static void execute(String sql) {
		try (var connection = DriverManager.getConnection(SERVER_URL, USER, PASSWORD);
				var statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException e) {
			throw new IllegalStateException("Cannot reach the test PostgreSQL at " + SERVER_URL
					+ " (set HELPDESK_TEST_DB_URL, HELPDESK_TEST_DB_USER, HELPDESK_TEST_DB_PASSWORD): " + e.getMessage(), e);
		}
	}

	private static String env(String name, String fallback) {
		var value = System.getenv(name);
		return value == null || value.isBlank() ? fallback : value;
	}
}
