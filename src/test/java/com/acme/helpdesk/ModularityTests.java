package com.acme.helpdesk;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(HelpdeskApplication.class);

	@Test
	void modulesOnlyUseEachOthersApis() {
		MODULES.verify();
	}

	@Test
	void hasTheModulesOfTheSpecification() {
		assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
			.contains("tickets", "assignment", "tenancy", "shared", "outbox", "jobs", "realtime", "sla", "notifications", "surveys");
	}

	/** Writes module canvases, C4 component diagrams and the aggregate document to docs/modules. */
	@Test
	void writesModuleDocumentation() {
		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules"))
			.writeDocumentation()
			.writeAggregatingDocument();
		assertThat(new java.io.File("docs/modules/all-docs.adoc")).exists();
	}
}
