package com.acme.helpdesk.analytics;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads {@code analytics_bucket} rows for reports: the buckets of some runs, and sums of the backlog changes. */
@Component
class BucketReader {

	/** One stored bucket of one dimension key. */
	record Row(String key, BucketLevel level, Instant start, Figures figures) {
	}

	private final JdbcClient jdbc;

	BucketReader(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Hands every stored bucket of {@code spans} to {@code rows}; all keys of the dimension when {@code key} is null.
	 */
	void read(UUID merchantId, Dimension dimension, String key, Collection<BucketSpan> spans, Consumer<Row> rows) {
		if (spans.isEmpty()) {
			return;
		}
		var sql = new StringBuilder("""
				SELECT dimension_key, level, bucket_start, counters, sketches FROM analytics_bucket
				WHERE merchant_id = ? AND dimension = ?""");
		var params = new ArrayList<Object>(List.of(merchantId, (short) dimension.ordinal()));
		if (key != null) {
			sql.append(" AND dimension_key = ?");
			params.add(key);
		}
		sql.append(" AND (");
		var first = true;
		for (var span : spans) {
			sql.append(first ? "" : " OR ").append("(level = ? AND bucket_start >= ? AND bucket_start < ?)");
			params.add((short) span.level().ordinal());
			params.add(Timestamp.from(span.from()));
			params.add(Timestamp.from(span.to()));
			first = false;
		}
		sql.append(')');
		var levels = BucketLevel.values();
		jdbc.sql(sql.toString()).params(params).query(rs -> {
			rows.accept(new Row(rs.getString(1), levels[rs.getShort(2)], rs.getTimestamp(3).toInstant(),
					Figures.of(longs(rs.getArray(4)), rs.getBytes(5))));
		});
	}

	/** The sum of the backlog changes of {@code key} in the months before {@code monthStart} (all when null). */
	Figures backlogChanges(UUID merchantId, Dimension dimension, String key, Instant monthStart) {
		var sql = "SELECT coalesce(sum(counters[%d]), 0), coalesce(sum(counters[%d]), 0), coalesce(sum(counters[%d]), 0)"
			.formatted(Figure.OPEN_CHANGE.ordinal() + 1, Figure.PENDING_CHANGE.ordinal() + 1,
					Figure.UNASSIGNED_CHANGE.ordinal() + 1)
				+ " FROM analytics_bucket WHERE merchant_id = ? AND dimension = ? AND dimension_key = ? AND level = ?"
				+ (monthStart == null ? "" : " AND bucket_start < ?");
		var params = new ArrayList<Object>(
				List.of(merchantId, (short) dimension.ordinal(), key, (short) BucketLevel.MONTH.ordinal()));
		if (monthStart != null) {
			params.add(Timestamp.from(monthStart));
		}
		return jdbc.sql(sql)
			.params(params)
			.query((rs, row) -> new Figures().increment(Figure.OPEN_CHANGE, rs.getLong(1))
				.increment(Figure.PENDING_CHANGE, rs.getLong(2))
				.increment(Figure.UNASSIGNED_CHANGE, rs.getLong(3)))
			.single();
	}

	private static long[] longs(Array array) throws SQLException {
		var values = (Object[]) array.getArray();
		var longs = new long[values.length];
		for (int i = 0; i < values.length; i++) {
			longs[i] = values[i] == null ? 0 : ((Number) values[i]).longValue();
		}
		return longs;
	}
}
