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

	/**
	 * The application as the jar starts it: the {@code prod} checks, and a datasource URL required. The run command's
	 * development application (src/test) adds a local or embedded database to it.
	 */
	public static SpringApplication application() {
		var application = new SpringApplication(HelpdeskApplication.class);
		application.addListeners(new ProductionSafety(), new DatabaseRequired());
		return application;
	}
}
