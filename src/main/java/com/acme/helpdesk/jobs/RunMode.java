package com.acme.helpdesk.jobs;

/**
 * {@code helpdesk.run-mode}: {@code all} (API, listeners, job workers, dashboard), {@code api} (no job workers; jobs
 * are still published), {@code worker} (job workers; {@code /api/**} and {@code /public/**} answer 404, operations
 * and actuator endpoints stay).
 */
public enum RunMode {

	ALL, API, WORKER;

	public boolean runsJobs() {
		return this != API;
	}

	public boolean servesApi() {
		return this != WORKER;
	}
}
