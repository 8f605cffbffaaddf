package com.acme.helpdesk.jobs;

/**
 * The arguments of one job: a record of ids and simple values (serialized to JSON by JobRunr), saying on which
 * queue it runs and under which job name. Its body is the {@link JobWorker} for its type.
 */
public interface HelpdeskJob {

	JobQueue queue();

	/** One of {@link JobQueue#jobNames()} (or a name of the owning module's choosing). */
	String jobName();

	/** The readable name shown in the JobRunr dashboard; the job name and its main ids. */
	default String displayName() {
		return jobName();
	}
}
