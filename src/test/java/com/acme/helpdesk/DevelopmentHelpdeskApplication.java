package com.acme.helpdesk;

/**
 * The run command's application ({@code ./mvnw spring-boot:test-run}, which starts the only main class of src/test:
 * {@link DevelopmentApplicationTests}): the production one ({@link HelpdeskApplication#application()}) plus the
 * {@link LocalDatabaseFallback}, so it starts on a machine with no database configured. It lives in src/test, with
 * the embedded PostgreSQL it may start, so that the production jar carries neither.
 */
public class DevelopmentHelpdeskApplication {

	public static void main(String[] args) {
		var application = HelpdeskApplication.application();
		application.addListeners(new LocalDatabaseFallback());
		application.run(args);
	}
}
