package com.acme.helpdesk;

import org.junit.jupiter.api.Test;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import com.acme.helpdesk.jobs.HelpdeskJob;
import com.acme.helpdesk.jobs.JobWorker;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(HelpdeskApplication.class);

	/** The application's own classes, without the tests' (which define job types of their own). */
	static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPath(java.nio.file.Path.of("target/classes"));

	@Test
	void modulesOnlyUseEachOthersApis() {
		MODULES.verify();
	}

	@Test
	void hasTheModulesTheReadmeDescribes() {
		assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
			.contains("tickets", "assignment", "tenancy", "shared", "outbox", "jobs", "realtime", "sla", "notifications", "surveys");
	}

	/**
	 * Writes module canvases, C4 component diagrams and the aggregate document to docs/modules. The committed documents
	 * are removed first, so only what this run writes passes.
	 */
	@Test
	void writesModuleDocumentation() throws java.io.IOException {
		var aggregate = java.nio.file.Path.of("docs/modules/all-docs.adoc");
		var tickets = java.nio.file.Path.of("docs/modules/module-tickets.adoc");
		java.nio.file.Files.deleteIfExists(aggregate);
		java.nio.file.Files.deleteIfExists(tickets);

		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules"))
			.writeDocumentation()
			.writeAggregatingDocument();

		assertThat(aggregate).content().contains("Job queues", "Tickets", "Assignment");
		assertThat(tickets).content().contains("com.acme.helpdesk.tickets", "TicketAssignments");
	}

	/** The shared jobs module keeps the queue layer only: it depends on no business module and holds no job of one. */
	@Test
	void jobsNamesNoDomainConcept() {
		var jobs = MODULES.getModuleByName("jobs").orElseThrow();
		var business = java.util.Set.of("tickets", "assignment", "sla", "notifications", "surveys", "realtime");
		assertThat(jobs.getDirectDependencies(MODULES).uniqueModules().map(module -> module.getIdentifier().toString()))
			.doesNotContainAnyElementsOf(business);
		assertThat(MAIN_CLASSES.stream()
			.filter(type -> type.getPackageName().startsWith(jobs.getBasePackage().getName()))
			.filter(type -> type.isAssignableTo(HelpdeskJob.class) || type.isAssignableTo(JobWorker.class))
			.map(JavaClass::getName))
			.as("job payloads and workers belong to the module of their side effect")
			.containsExactlyInAnyOrder(HelpdeskJob.class.getName(), JobWorker.class.getName());
	}

	/** Every job payload lives in the module of its side effect, never in the shared jobs module. */
	@Test
	void jobPayloadsLiveInTheirModules() {
		var payloads = MAIN_CLASSES.stream()
			.filter(type -> type.isAssignableTo(HelpdeskJob.class) && !type.isInterface() && type.isRecord())
			.toList();
		assertThat(payloads).hasSizeGreaterThanOrEqualTo(7);
		for (var payload : payloads) {
			var module = MODULES.getModuleByType(payload.getName()).orElseThrow();
			assertThat(module.getIdentifier().toString()).as(payload.getName()).isNotEqualTo("jobs");
		}
	}
}
