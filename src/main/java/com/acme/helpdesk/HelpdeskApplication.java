package com.acme.helpdesk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(systemName = "Helpdesk", sharedModules = { "shared", "tenancy", "jobs" })
public class HelpdeskApplication {

	public static void main(String[] args) {
		application().run(args);
	}

	/** The application as the run command starts it: the {@code prod} checks, else the local database fallback. */
	public static SpringApplication application() {
		var application = new SpringApplication(HelpdeskApplication.class);
		application.addListeners(new ProductionSafety(), new LocalDatabaseFallback());
		return application;
	}
}
