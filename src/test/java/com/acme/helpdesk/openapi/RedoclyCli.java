package com.acme.helpdesk.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.acme.helpdesk.support.ExternalService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Redocly CLI pinned by {@code src/test/openapi/package-lock.json}, installed with {@code npm ci} into
 * {@code target/redocly} when missing or out of date. npm needs its registry once; afterwards the install comes from
 * npm's cache ({@code --offline}), also after {@code mvn clean}. Without Node.js 20.19 or later the tests that
 * lint skip, or fail under {@code HELPDESK_TEST_REQUIRE_ALL=true}.
 */
final class RedoclyCli {

	static final Path PROJECT = Path.of("src", "test", "openapi");
	static final Path CONFIG = PROJECT.resolve("redocly.yaml");
	private static final Path HOME = Path.of("target", "redocly");
	private static final ObjectMapper JSON = new ObjectMapper();

	/** One problem Redocly found: its rule, where (a JSON pointer into the document) and what. */
	record Problem(String rule, String severity, String pointer, String message) {

		@Override
		public String toString() {
			return "%s %s at %s: %s".formatted(severity, rule, pointer, message);
		}
	}

	private final Path cli;

	private RedoclyCli(Path cli) {
		this.cli = cli;
	}

	static RedoclyCli installed() throws IOException, InterruptedException {
		var node = nodeVersion();
		ExternalService.require(node != null && (node[0] > 20 || node[0] == 20 && node[1] >= 19) && npmAvailable(),
				"No Node.js 20.19 or later with npm on the PATH for the OpenAPI lint (found node "
						+ (node == null ? "none" : node[0] + "." + node[1]) + ")");
		var lock = PROJECT.resolve("package-lock.json");
		var installedLock = HOME.resolve("package-lock.json");
		var cli = HOME.resolve(Path.of("node_modules", "@redocly", "cli", "bin", "cli.js"));
		if (!Files.exists(cli) || !Files.exists(installedLock) || Files.mismatch(lock, installedLock) != -1) {
			Files.createDirectories(HOME);
			Files.copy(PROJECT.resolve("package.json"), HOME.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
			Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
			// npm's cache first, without asking the registry at all; the registry only when the cache lacks the package
			var install = run(HOME, 300, "npm", "ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts");
			if (install.exitCode() != 0) {
				install = run(HOME, 300, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts");
			}
			if (install.exitCode() != 0 || !Files.exists(cli)) {
				Files.deleteIfExists(installedLock);
				throw new IllegalStateException("npm ci of " + PROJECT + " failed (it needs the npm registry once, "
						+ "then works offline from npm's cache): " + install.output());
			}
		}
		return new RedoclyCli(cli.toAbsolutePath());
	}

	/** Lints {@code document} with the committed rule set; answers every problem, whatever its severity. */
	List<Problem> lint(Path document) throws IOException, InterruptedException {
		var result = run(Path.of("."), 120, "node", cli.toString(), "lint", "--config", CONFIG.toString(),
				"--format=json", "--max-problems=1000", document.toString());
		JsonNode report;
		try {
			report = JSON.readTree(result.stdout());
		}
		catch (IOException e) {
			throw new IllegalStateException("Redocly answered no JSON report (exit " + result.exitCode() + "): "
					+ result.output(), e);
		}
		var problems = new ArrayList<Problem>();
		for (var problem : report.path("problems")) {
			problems.add(new Problem(problem.path("ruleId").asText(), problem.path("severity").asText(),
					problem.path("location").path(0).path("pointer").asText(), problem.path("message").asText()));
		}
		if (problems.isEmpty() && result.exitCode() != 0) {
			throw new IllegalStateException("Redocly failed (exit " + result.exitCode() + "): " + result.output());
		}
		return problems;
	}

	private record Run(int exitCode, String stdout, String stderr) {

		String output() {
			return stdout + stderr;
		}
	}

	private static Run run(Path directory, int timeoutSeconds, String... command)
			throws IOException, InterruptedException {
		var out = Files.createTempFile("redocly-", ".out");
		var err = Files.createTempFile("redocly-", ".err");
		try {
			var builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile());
			builder.environment().put("REDOCLY_TELEMETRY", "off");
			builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
			builder.environment().put("NO_COLOR", "1");
			var process = builder.start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " took over " + timeoutSeconds + " s");
			}
			return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	private static boolean npmAvailable() throws InterruptedException {
		try {
			return run(Path.of("."), 30, "npm", "--version").exitCode() == 0;
		}
		catch (IOException e) {
			return false;
		}
	}

	/** Node's major and minor version, or null without a {@code node} on the PATH. */
	private static int[] nodeVersion() throws InterruptedException {
		try {
			var version = run(Path.of("."), 30, "node", "--version").stdout().strip().replaceFirst("^v", "").split("\\.");
			return new int[] { Integer.parseInt(version[0]), Integer.parseInt(version[1]) };
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}
}
