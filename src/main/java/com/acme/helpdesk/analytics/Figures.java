package com.acme.helpdesk.analytics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What one bucket of one dimension holds: the {@link Figure} counters and a {@link DurationSketch} per
 * {@link DurationMetric}. Mutable; {@link #add(Figures, long)} with -1 takes a contribution back.
 */
final class Figures {

	private final long[] counters;
	private final Map<DurationMetric, DurationSketch> sketches = new EnumMap<>(DurationMetric.class);

	Figures() {
		this.counters = new long[Figure.values().length];
		for (var metric : DurationMetric.values()) {
			sketches.put(metric, new DurationSketch());
		}
	}

	/** From the columns {@code counters} (shorter arrays are read as zeros after their end) and {@code sketches}. */
	static Figures of(long[] storedCounters, byte[] storedSketches) {
		return of(storedCounters, storedSketches, ALL_SKETCHES);
	}

	private static final Set<DurationMetric> ALL_SKETCHES = EnumSet.allOf(DurationMetric.class);

	/** As {@link #of(long[], byte[])}, reading only the sketches of {@code wanted} (the others stay empty). */
	static Figures of(long[] storedCounters, byte[] storedSketches, Set<DurationMetric> wanted) {
		var figures = new Figures();
		System.arraycopy(storedCounters, 0, figures.counters, 0, Math.min(storedCounters.length, figures.counters.length));
		if (storedSketches != null && storedSketches.length > 0) {
			var in = ByteBuffer.wrap(storedSketches);
			for (var metric : DurationMetric.values()) {
				if (wanted.contains(metric)) {
					figures.sketches.put(metric, DurationSketch.readFrom(in));
				}
				else {
					DurationSketch.skip(in);
				}
			}
		}
		return figures;
	}

	long get(Figure figure) {
		return counters[figure.ordinal()];
	}

	Figures increment(Figure figure, long by) {
		counters[figure.ordinal()] += by;
		return this;
	}

	/** Counts one duration: its count, its sum and its sketch. */
	Figures addDuration(DurationMetric metric, long millis) {
		counters[metric.count.ordinal()] += 1;
		counters[metric.millis.ordinal()] += millis;
		sketches.get(metric).add(millis, 1);
		return this;
	}

	DurationSketch sketch(DurationMetric metric) {
		return sketches.get(metric);
	}

	/** Adds {@code other} times {@code sign} (1 to add, -1 to take back). */
	Figures add(Figures other, long sign) {
		for (int i = 0; i < counters.length; i++) {
			counters[i] += sign * other.counters[i];
		}
		for (var metric : DurationMetric.values()) {
			sketches.get(metric).addAll(other.sketches.get(metric), sign);
		}
		return this;
	}

	boolean isZero() {
		for (long c : counters) {
			if (c != 0) {
				return false;
			}
		}
		return sketches.values().stream().allMatch(DurationSketch::isEmpty);
	}

	long[] counters() {
		return counters.clone();
	}

	byte[] encodedSketches() {
		var out = new ByteArrayOutputStream();
		for (var metric : DurationMetric.values()) {
			sketches.get(metric).writeTo(out);
		}
		return out.toByteArray();
	}

	Figures copy() {
		return new Figures().add(this, 1);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Figures figures && Arrays.equals(counters, figures.counters)
				&& sketches.equals(figures.sketches);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(counters);
	}

	@Override
	public String toString() {
		var text = new StringBuilder("Figures{");
		for (var figure : Figure.values()) {
			if (counters[figure.ordinal()] != 0) {
				text.append(figure).append('=').append(counters[figure.ordinal()]).append(' ');
			}
		}
		return text.append('}').toString();
	}
}
