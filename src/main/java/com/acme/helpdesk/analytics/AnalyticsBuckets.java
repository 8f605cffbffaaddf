package com.acme.helpdesk.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.stereotype.Repository;

/**
 * Table {@code analytics_bucket}: the {@link Figures} of each bucket, dimension and key of a merchant. Readers ask for
 * whole buckets ({@link #read}, {@link #readLevel}); the writer adds changes to rows ({@link #apply}) under the
 * merchant's analytics lock ({@link AnalyticsLock}), so a read-modify-write needs no row locks. A row whose figures
 * become zero is deleted: a missing row reads as zero figures.
 */
@Repository
class AnalyticsBuckets {

	private static final String COLUMNS = "level, bucket_start, dimension, dimension_key, counters, sketches";
	private static final String COUNTERS_ONLY = "level, bucket_start, dimension, dimension_key, counters, NULL AS sketches";

	private final JdbcTemplate jdbc;

	AnalyticsBuckets(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The stored figures of the given buckets of one dimension, for one key or ({@code key == null}) for every key
	 * there is. Buckets and keys without a row are absent (zero).
	 */
	Map<BucketKey, Figures> read(UUID merchantId, Dimension dimension, String key, Collection<BucketRef> buckets) {
		return read(merchantId, dimension, key, buckets, EnumSet.allOf(DurationMetric.class));
	}

	/** As {@link #read}, with only the sketches of {@code sketches} read (the others empty in the figures answered). */
	Map<BucketKey, Figures> read(UUID merchantId, Dimension dimension, String key, Collection<BucketRef> buckets,
			Set<DurationMetric> sketches) {
		if (buckets.isEmpty()) {
			return new TreeMap<>();
		}
		var levels = new Short[buckets.size()];
		var starts = new String[buckets.size()];
		int i = 0;
		for (var bucket : buckets) {
			levels[i] = (short) bucket.level().ordinal();
			starts[i] = bucket.start().toString();
			i++;
		}
		// a lateral join: one index probe per bucket (an IN over the list let PostgreSQL scan all the dimension's rows)
		var sql = "SELECT " + (sketches.isEmpty() ? COUNTERS_ONLY : COLUMNS) + """
				 FROM unnest(?::smallint[], ?::text[]) AS b (l, s)
				 CROSS JOIN LATERAL (SELECT * FROM analytics_bucket
				   WHERE merchant_id = ? AND dimension = ? AND level = b.l AND bucket_start = CAST(b.s AS timestamptz)
				""" + (key == null ? "" : " AND dimension_key = ?") + ") AS a";
		return jdbc.query(connection -> {
			var statement = connection.prepareStatement(sql);
			statement.setArray(1, connection.createArrayOf("int2", levels));
			statement.setArray(2, connection.createArrayOf("text", starts));
			statement.setObject(3, merchantId);
			statement.setShort(4, (short) dimension.ordinal());
			if (key != null) {
				statement.setString(5, key);
			}
			return statement;
		}, rowsWith(sketches));
	}

	/**
	 * The stored figures of every bucket of {@code level} starting in {@code [from, to)} of one dimension, for one key
	 * or ({@code key == null}) for every key there is: for long series, and for backlog sums (all changes before an
	 * instant).
	 */
	Map<BucketKey, Figures> readLevel(UUID merchantId, Dimension dimension, String key, BucketLevel level, Instant from,
			Instant to) {
		var sql = "SELECT " + COLUMNS + """
				 FROM analytics_bucket
				WHERE merchant_id = ? AND dimension = ? AND level = ? AND bucket_start >= ? AND bucket_start < ?
				""" + (key == null ? "" : " AND dimension_key = ?");
		return jdbc.query(connection -> {
			var statement = connection.prepareStatement(sql);
			statement.setObject(1, merchantId);
			statement.setShort(2, (short) dimension.ordinal());
			statement.setShort(3, (short) level.ordinal());
			statement.setObject(4, utc(from));
			statement.setObject(5, utc(to));
			if (key != null) {
				statement.setString(6, key);
			}
			return statement;
		}, AnalyticsBuckets::rows);
	}

	/** Every row of the merchant (a snapshot: tests, the rebuild's comparison). */
	Map<BucketKey, Figures> readAll(UUID merchantId) {
		return jdbc.query(connection -> {
			var statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM analytics_bucket WHERE merchant_id = ?");
			statement.setObject(1, merchantId);
			return statement;
		}, AnalyticsBuckets::rows);
	}

	/**
	 * Adds each change to its row (read, add, write; in primary key order), deleting rows that become zero. The caller
	 * holds the merchant's analytics lock.
	 */
	void apply(UUID merchantId, Map<BucketKey, Figures> changes) {
		var sorted = new TreeMap<BucketKey, Figures>();
		changes.forEach((key, change) -> {
			if (!change.isZero()) {
				sorted.put(key, change);
			}
		});
		if (sorted.isEmpty()) {
			return;
		}
		var stored = readKeys(merchantId, sorted.keySet());
		var upserts = new ArrayList<Map.Entry<BucketKey, Figures>>();
		var deletes = new ArrayList<BucketKey>();
		sorted.forEach((key, change) -> {
			var before = stored.get(key);
			var after = before == null ? change.copy() : before.add(change, 1);
			if (after.isZero()) {
				if (before != null) {
					deletes.add(key);
				}
			}
			else {
				upserts.add(Map.entry(key, after));
			}
		});
		if (!upserts.isEmpty()) {
			jdbc.batchUpdate("""
					INSERT INTO analytics_bucket (merchant_id, dimension, level, bucket_start, dimension_key, counters, sketches)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (merchant_id, dimension, level, bucket_start, dimension_key)
					DO UPDATE SET counters = EXCLUDED.counters, sketches = EXCLUDED.sketches""", upserts, 500,
					(statement, row) -> {
						setKey(statement, merchantId, row.getKey());
						var counters = row.getValue().counters();
						var boxed = new Long[counters.length];
						for (int i = 0; i < counters.length; i++) {
							boxed[i] = counters[i];
						}
						statement.setArray(6, statement.getConnection().createArrayOf("int8", boxed));
						statement.setBytes(7, row.getValue().encodedSketches());
					});
		}
		if (!deletes.isEmpty()) {
			jdbc.batchUpdate("""
					DELETE FROM analytics_bucket
					WHERE merchant_id = ? AND dimension = ? AND level = ? AND bucket_start = ? AND dimension_key = ?""",
					deletes, 500, (statement, key) -> setKey(statement, merchantId, key));
		}
	}

	/** Empties the merchant's buckets (a rebuild starts from here). */
	void deleteAll(UUID merchantId) {
		jdbc.update("DELETE FROM analytics_bucket WHERE merchant_id = ?", merchantId);
	}

	private Map<BucketKey, Figures> readKeys(UUID merchantId, Collection<BucketKey> keys) {
		var dimensions = new Short[keys.size()];
		var levels = new Short[keys.size()];
		var starts = new String[keys.size()];
		var names = new String[keys.size()];
		int i = 0;
		for (var key : keys) {
			dimensions[i] = (short) key.dimension().ordinal();
			levels[i] = (short) key.level().ordinal();
			starts[i] = key.start().toString();
			names[i] = key.key();
			i++;
		}
		return jdbc.query((Connection connection) -> {
			PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + """
					 FROM analytics_bucket
					WHERE merchant_id = ?
					  AND (dimension, level, bucket_start, dimension_key) IN (
					      SELECT d, l, CAST(s AS timestamptz), k FROM unnest(?::smallint[], ?::smallint[], ?::text[], ?::text[]) AS b (d, l, s, k))
					""");
			statement.setObject(1, merchantId);
			statement.setArray(2, connection.createArrayOf("int2", dimensions));
			statement.setArray(3, connection.createArrayOf("int2", levels));
			statement.setArray(4, connection.createArrayOf("text", starts));
			statement.setArray(5, connection.createArrayOf("text", names));
			return statement;
		}, AnalyticsBuckets::rows);
	}

	private static void setKey(PreparedStatement statement, UUID merchantId, BucketKey key) throws SQLException {
		statement.setObject(1, merchantId);
		statement.setShort(2, (short) key.dimension().ordinal());
		statement.setShort(3, (short) key.level().ordinal());
		statement.setObject(4, utc(key.start()));
		statement.setString(5, key.key());
	}

	private static Map<BucketKey, Figures> rows(ResultSet rs) throws SQLException {
		return rowsWith(EnumSet.allOf(DurationMetric.class)).extractData(rs);
	}

	private static ResultSetExtractor<Map<BucketKey, Figures>> rowsWith(Set<DurationMetric> sketches) {
		return rs -> {
			var rows = new TreeMap<BucketKey, Figures>();
			while (rs.next()) {
				var key = new BucketKey(BucketLevel.values()[rs.getShort("level")],
						rs.getObject("bucket_start", OffsetDateTime.class).toInstant(),
						Dimension.values()[rs.getShort("dimension")], rs.getString("dimension_key"));
				var stored = (Long[]) rs.getArray("counters").getArray();
				var counters = new long[stored.length];
				for (int i = 0; i < stored.length; i++) {
					counters[i] = stored[i];
				}
				rows.put(key, Figures.of(counters, rs.getBytes("sketches"), sketches));
			}
			return rows;
		};
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}
}
