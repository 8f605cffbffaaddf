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
		var application = new SpringApplication(HelpdeskApplication.class);
		application.addListeners(new LocalDatabaseFallback());
		application.run(args);
	}
}
