package com.acme.helpdesk.analytics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Durations in a log-bucketed histogram (the DDSketch scheme): bucket {@code i >= 1} holds the durations in
 * {@code (γ^(i-1), γ^i]} milliseconds, bucket 0 those of at most 1 ms, with {@code γ = 1.02 / 0.98}. A quantile read
 * from it is within 2% of the true one (the issue asks for 5%). Counts may be added and subtracted, so a ticket's
 * contribution can be taken back exactly, and sketches of buckets merge by adding counts.
 */
final class DurationSketch {

	static final double RELATIVE_ACCURACY = 0.02;
	private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
	private static final double LOG_GAMMA = Math.log(GAMMA);

	/** counts[i - offset] is the count of bucket i. */
	private long[] counts = new long[0];
	private int offset;

	static int bucketOf(long millis) {
		if (millis <= 1) {
			return 0;
		}
		return Math.max(1, (int) Math.ceil(Math.log(millis) / LOG_GAMMA - 1e-9));
	}

	/** The value reported for a bucket: within the relative accuracy of every value in it. */
	static double millisOf(int bucket) {
		if (bucket == 0) {
			return 0;
		}
		return 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
	}

	void add(long millis, long count) {
		addToBucket(bucketOf(millis), count);
	}

	void addAll(DurationSketch other, long sign) {
		if (other.counts.length == 0) {
			return;
		}
		cover(other.offset, other.offset + other.counts.length - 1);
		for (int i = 0; i < other.counts.length; i++) {
			if (other.counts[i] != 0) {
				addToBucket(other.offset + i, sign * other.counts[i]);
			}
		}
	}

	long count() {
		long total = 0;
		for (long c : counts) {
			total += c;
		}
		return total;
	}

	boolean isEmpty() {
		for (long c : counts) {
			if (c != 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The {@code q}-quantile in seconds (the value of rank {@code q * (n - 1)}, counted from 0), or {@code null} when
	 * the sketch holds nothing.
	 */
	Double quantileSeconds(double q) {
		long n = count();
		if (n <= 0) {
			return null;
		}
		long rank = (long) Math.floor(q * (n - 1));
		long seen = 0;
		for (int i = 0; i < counts.length; i++) {
			seen += counts[i];
			if (seen > rank) {
				return millisOf(offset + i) / 1000.0;
			}
		}
		return millisOf(offset + counts.length - 1) / 1000.0;
	}

	/** Grows the buckets held to include {@code [low, high]} at once. */
	private void cover(int low, int high) {
		if (counts.length == 0) {
			counts = new long[high - low + 1];
			offset = low;
			return;
		}
		int from = Math.min(low, offset);
		int to = Math.max(high, offset + counts.length - 1);
		if (from != offset || to != offset + counts.length - 1) {
			var grown = new long[to - from + 1];
			System.arraycopy(counts, 0, grown, offset - from, counts.length);
			counts = grown;
			offset = from;
		}
	}

	private void addToBucket(int bucket, long count) {
		if (count == 0) {
			return;
		}
		if (counts.length == 0) {
			counts = new long[1];
			offset = bucket;
		}
		else if (bucket < offset) {
			var grown = new long[counts.length + (offset - bucket)];
			System.arraycopy(counts, 0, grown, offset - bucket, counts.length);
			counts = grown;
			offset = bucket;
		}
		else if (bucket >= offset + counts.length) {
			counts = Arrays.copyOf(counts, bucket - offset + 1);
		}
		counts[bucket - offset] += count;
	}

	/** Non-empty buckets as varint pairs (bucket delta, zig-zag count). */
	void writeTo(ByteArrayOutputStream out) {
		int entries = 0;
		for (long c : counts) {
			if (c != 0) {
				entries++;
			}
		}
		writeVarLong(out, entries);
		int previous = 0;
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] != 0) {
				writeVarLong(out, offset + i - previous);
				writeVarLong(out, (counts[i] << 1) ^ (counts[i] >> 63));
				previous = offset + i;
			}
		}
	}

	static DurationSketch readFrom(ByteBuffer in) {
		var sketch = new DurationSketch();
		long entries = readVarLong(in);
		int bucket = 0;
		for (long e = 0; e < entries; e++) {
			bucket += (int) readVarLong(in);
			long zigzag = readVarLong(in);
			sketch.addToBucket(bucket, (zigzag >>> 1) ^ -(zigzag & 1));
		}
		return sketch;
	}

	/** Reads past one sketch written by {@link #writeTo}. */
	static void skip(ByteBuffer in) {
		long entries = readVarLong(in);
		for (long e = 0; e < 2 * entries; e++) {
			readVarLong(in);
		}
	}

	DurationSketch copy() {
		var copy = new DurationSketch();
		copy.counts = counts.clone();
		copy.offset = offset;
		return copy;
	}

	@Override
	public boolean equals(Object other) {
		if (!(other instanceof DurationSketch sketch)) {
			return false;
		}
		var a = new ByteArrayOutputStream();
		var b = new ByteArrayOutputStream();
		writeTo(a);
		sketch.writeTo(b);
		return Arrays.equals(a.toByteArray(), b.toByteArray());
	}

	@Override
	public int hashCode() {
		var out = new ByteArrayOutputStream();
		writeTo(out);
		return Arrays.hashCode(out.toByteArray());
	}

	private static void writeVarLong(ByteArrayOutputStream out, long value) {
		while ((value & ~0x7FL) != 0) {
			out.write((int) ((value & 0x7F) | 0x80));
			value >>>= 7;
		}
		out.write((int) value);
	}

	private static long readVarLong(ByteBuffer in) {
		long value = 0;
		int shift = 0;
		while (true) {
			byte b = in.get();
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
			shift += 7;
		}
	}
}
