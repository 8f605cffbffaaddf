package com.acme.helpdesk.jobs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobListVersioner;
import org.jobrunr.jobs.JobVersioner;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.SchedulableState;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.utils.JobUtils;

/**
 * The rows of {@code jobrunr_jobs} as JobRunr's {@code JobTable} writes them (JobRunr's JSON, signature, state, UTC
 * times, optimistic locking on {@code version}), with the values bound directly: JobTable finds each by reflection,
 * which was a sixth of the job threads' CPU. A job is inserted once (published) and updated twice (claimed, finished).
 */
final class JobTableWriter {

	private final JobMapper jobMapper;
	private final String insertSql;
	private final String updateSql;

	JobTableWriter(JobMapper jobMapper, String tablePrefix) {
		this.jobMapper = jobMapper;
		var table = (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs";
		this.insertSql = "INSERT INTO " + table + " (id, version, jobAsJson, jobSignature, state, createdAt, updatedAt, "
				+ "scheduledAt, recurringJobId) SELECT * FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], "
				+ "?::timestamp[], ?::timestamp[], ?::timestamp[], ?::text[]) ON CONFLICT (id) DO NOTHING RETURNING id";
		this.updateSql = "UPDATE " + table + " SET version = ?, jobAsJson = ?, state = ?, updatedAt = ?, scheduledAt = ? "
				+ "WHERE id = ? AND version = ?";
	}

	/** Inserts new jobs in one statement, skipping ids already there; answers the jobs that were inserted. */
	List<Job> insertNew(Connection connection, List<Job> jobs) throws SQLException {
		var inserted = new HashSet<String>();
		try (var versions = new JobListVersioner(jobs); var statement = connection.prepareStatement(insertSql)) {
			if (!versions.areNewJobs()) {
				throw new IllegalArgumentException("Only new jobs are inserted");
			}
			int n = jobs.size();
			var ids = new String[n];
			var versionNumbers = new Integer[n];
			var json = new String[n];
			var signatures = new String[n];
			var states = new String[n];
			var created = new String[n];
			var updated = new String[n];
			var scheduled = new String[n];
			var recurring = new String[n];
			for (int i = 0; i < n; i++) {
				var job = jobs.get(i);
				ids[i] = job.getId().toString();
				versionNumbers[i] = job.getVersion();
				json[i] = jobMapper.serializeJob(job);
				signatures[i] = JobUtils.getJobSignature(job);
				states[i] = job.getState().name();
				created[i] = utc(job.getCreatedAt()).toString();
				updated[i] = utc(job.getUpdatedAt()).toString();
				scheduled[i] = scheduledAt(job).map(at -> utc(at).toString()).orElse(null);
				recurring[i] = job.getRecurringJobId().orElse(null);
			}
			statement.setArray(1, connection.createArrayOf("text", ids));
			statement.setArray(2, connection.createArrayOf("int4", versionNumbers));
			statement.setArray(3, connection.createArrayOf("text", json));
			statement.setArray(4, connection.createArrayOf("text", signatures));
			statement.setArray(5, connection.createArrayOf("text", states));
			statement.setArray(6, connection.createArrayOf("text", created));
			statement.setArray(7, connection.createArrayOf("text", updated));
			statement.setArray(8, connection.createArrayOf("text", scheduled));
			statement.setArray(9, connection.createArrayOf("text", recurring));
			try (var rows = statement.executeQuery()) {
				while (rows.next()) {
					inserted.add(rows.getString(1).trim()); // NCHAR(36)
				}
			}
			versions.commitVersions();
		}
		return jobs.stream().filter(job -> inserted.contains(job.getId().toString())).toList();
	}

	/** Saves one changed job; throws {@link ConcurrentJobModificationException} when it changed meanwhile. */
	Job save(Connection connection, Job job) throws SQLException {
		try (var versioner = new JobVersioner(job); var statement = connection.prepareStatement(updateSql)) {
			bind(statement, job);
			if (statement.executeUpdate() == 0) {
				throw new ConcurrentJobModificationException(job);
			}
			versioner.commitVersion();
			return job;
		}
	}

	/** Saves changed jobs in one batch; answers those saved (the others changed meanwhile). */
	List<Job> saveAll(Connection connection, List<Job> jobs) throws SQLException {
		try (var versions = new JobListVersioner(jobs); var statement = connection.prepareStatement(updateSql)) {
			for (var job : jobs) {
				bind(statement, job);
				statement.addBatch();
			}
			var counts = statement.executeBatch();
			var saved = new ArrayList<Job>(jobs.size());
			var changedMeanwhile = new ArrayList<Job>();
			for (int i = 0; i < jobs.size(); i++) {
				(counts[i] == 0 ? changedMeanwhile : saved).add(jobs.get(i));
			}
			versions.rollbackVersions(changedMeanwhile);
			return saved;
		}
	}

	private void bind(PreparedStatement statement, Job job) throws SQLException {
		statement.setInt(1, job.getVersion());
		statement.setString(2, jobMapper.serializeJob(job));
		statement.setString(3, job.getState().name());
		statement.setObject(4, utc(job.getUpdatedAt()));
		statement.setObject(5, scheduledAt(job).map(JobTableWriter::utc).orElse(null), Types.TIMESTAMP);
		statement.setString(6, job.getId().toString());
		statement.setInt(7, job.getVersion() - 1);
	}

	static Optional<Instant> scheduledAt(Job job) {
		return job.getLastJobStateOfType(SchedulableState.class).map(SchedulableState::getScheduledAt);
	}

	/** JobRunr's columns are {@code TIMESTAMP}s holding UTC. */
	static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}
