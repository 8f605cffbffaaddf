package com.acme.helpdesk.jobs.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobListVersioner;
import org.jobrunr.jobs.JobVersioner;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.SchedulableState;
import org.jobrunr.storage.ConcurrentJobModificationException;

/**
 * The UPDATE with which JobRunr's {@code JobTable} saves a changed job (its JSON, state, times, under optimistic
 * locking on {@code version}), with the values bound directly: JobTable finds each by reflection, which was a sixth of
 * the job threads' CPU. Each job is saved twice in its life this way: claimed ({@code PROCESSING}), and finished.
 */
final class JobStateUpdates {

	private final JobMapper jobMapper;
	private final String sql;

	JobStateUpdates(JobMapper jobMapper, String tablePrefix) {
		this.jobMapper = jobMapper;
		this.sql = "UPDATE " + (tablePrefix == null ? "" : tablePrefix) + "jobrunr_jobs SET version = ?, jobAsJson = ?, "
				+ "state = ?, updatedAt = ?, scheduledAt = ? WHERE id = ? AND version = ?";
	}

	/** Saves one changed job; throws {@link ConcurrentJobModificationException} when it changed meanwhile. */
	Job save(Connection connection, Job job) throws SQLException {
		try (var versioner = new JobVersioner(job); var statement = connection.prepareStatement(sql)) {
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
		try (var versions = new JobListVersioner(jobs); var statement = connection.prepareStatement(sql)) {
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
		var utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
		statement.setInt(1, job.getVersion());
		statement.setString(2, jobMapper.serializeJob(job));
		statement.setString(3, job.getState().name());
		statement.setTimestamp(4, Timestamp.from(job.getUpdatedAt()), utc);
		var scheduledAt = job.getLastJobStateOfType(SchedulableState.class).map(SchedulableState::getScheduledAt);
		if (scheduledAt.isPresent()) {
			statement.setTimestamp(5, Timestamp.from(scheduledAt.get()), utc);
		}
		else {
			statement.setNull(5, Types.TIMESTAMP);
		}
		statement.setString(6, job.getId().toString());
		statement.setInt(7, job.getVersion() - 1);
	}
}
