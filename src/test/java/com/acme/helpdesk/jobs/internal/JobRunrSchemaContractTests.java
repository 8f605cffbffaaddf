package com.acme.helpdesk.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.acme.helpdesk.support.HelpdeskTest;

/**
 * Framework seam (docs/framework-seams.md): Flyway, not JobRunr, creates JobRunr's tables ({@code V3}, indexes in
 * {@code V46}), and the queue layer writes their rows. The schema is JobRunr 8.4's exactly when every migration
 * script JobRunr ships for PostgreSQL is recorded as applied: an upgrade that brings a new script fails here, and its
 * DDL must then go into a Flyway migration (and {@code JobRows} be checked against it).
 */
@HelpdeskTest
class JobRunrSchemaContractTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyMigrationJobRunrShipsIsAppliedByFlyway() throws IOException {
		var resolver = new PathMatchingResourcePatternResolver();
		var shipped = new TreeSet<String>();
		for (var location : new String[] { "org/jobrunr/storage/sql/common/migrations/*.sql",
				"org/jobrunr/storage/sql/postgres/migrations/*.sql" }) {
			Arrays.stream(resolver.getResources("classpath*:" + location))
				.map(resource -> Objects.requireNonNull(resource.getFilename()))
				.forEach(shipped::add);
		}
		assertThat(shipped).as("JobRunr's migration scripts").isNotEmpty();

		var applied = new TreeSet<>(jdbc.sql("SELECT script FROM jobrunr_migrations").query(String.class).list());

		assertThat(applied).as("scripts of JobRunr recorded by V3 (a new one needs a Flyway migration)")
			.containsExactlyElementsOf(shipped);
	}
}
