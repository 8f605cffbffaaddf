package com.acme.helpdesk.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The duration sketch: quantiles within its 2% relative accuracy, exact take-back, and a lossless stored form. */
class DurationSketchTests {

	@Test
	void quantilesOfKnownDataAreWithinTwoPercentOfTheTrueOnes() {
		var random = new Random(18);
		var millis = new long[20_000];
		var sketch = new DurationSketch();
		for (int i = 0; i < millis.length; i++) {
			// from 1 s to about 3 days, spread over orders of magnitude as response times are
			millis[i] = (long) Math.exp(Math.log(1_000) + random.nextDouble() * (Math.log(250_000_000) - Math.log(1_000)));
			sketch.add(millis[i], 1);
		}
		Arrays.sort(millis);
		assertThat(sketch.count()).isEqualTo(millis.length);
		for (var q : new double[] { 0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1 }) {
			var trueSeconds = millis[(int) Math.floor(q * (millis.length - 1))] / 1000.0;
			assertThat(sketch.quantileSeconds(q)).as("quantile %s", q)
				.isCloseTo(trueSeconds, within(trueSeconds * DurationSketch.RELATIVE_ACCURACY));
		}
	}

	@Test
	void theMedianOfOneToOneHundredSecondsIsFiftySecondsWithinTwoPercent() {
		var sketch = new DurationSketch();
		for (long s = 1; s <= 101; s++) {
			sketch.add(s * 1000, 1);
		}
		assertThat(sketch.quantileSeconds(0.5)).isCloseTo(51.0, within(51 * 0.02));
		assertThat(sketch.quantileSeconds(0.9)).isCloseTo(91.0, within(91 * 0.02));
		assertThat(new DurationSketch().quantileSeconds(0.5)).as("no samples, no median").isNull();
	}

	@Test
	void addingThenSubtractingTheSameDurationsLeavesAnEmptySketch() {
		var random = new Random(7);
		var added = new DurationSketch();
		var sketch = new DurationSketch();
		sketch.add(42_000, 3);
		for (int i = 0; i < 1000; i++) {
			added.add(random.nextInt(10_000_000), 1);
		}
		sketch.addAll(added, 1);
		assertThat(sketch.isEmpty()).isFalse();
		sketch.addAll(added, -1);
		var expected = new DurationSketch();
		expected.add(42_000, 3);
		assertThat(sketch).isEqualTo(expected);
		sketch.add(42_000, -3);
		assertThat(sketch.isEmpty()).isTrue();
		assertThat(sketch.count()).isZero();
		assertThat(encoded(sketch)).as("an empty sketch stores as no entries").containsExactly(0);
	}

	@Test
	void figuresAddedAndTakenBackAreZero() {
		var figures = new Figures().increment(Figure.CREATED, 1).addDuration(DurationMetric.FIRST_RESPONSE, 90_000);
		var total = new Figures().add(figures, 1);
		assertThat(total.isZero()).isFalse();
		assertThat(total.get(Figure.FIRST_RESPONSE_COUNT)).isEqualTo(1);
		assertThat(total.get(Figure.FIRST_RESPONSE_MILLIS)).isEqualTo(90_000);
		total.add(figures, -1);
		assertThat(total.isZero()).isTrue();
		assertThat(total).isEqualTo(new Figures());
	}

	@Test
	void aSketchReadsBackAsItWasWrittenAlsoWithNegativeCounts() {
		var random = new Random(3);
		var sketch = new DurationSketch();
		for (int i = 0; i < 5000; i++) {
			sketch.add(random.nextLong(1, 1_000_000_000L), random.nextInt(5) - 1);
		}
		sketch.add(0, 2);
		var read = DurationSketch.readFrom(ByteBuffer.wrap(encoded(sketch)));
		assertThat(read).isEqualTo(sketch);
		assertThat(read.count()).isEqualTo(sketch.count());
		assertThat(read.quantileSeconds(0.5)).isEqualTo(sketch.quantileSeconds(0.5));

		var figures = new Figures().increment(Figure.CSAT_5, 2)
			.increment(Figure.OPEN_CHANGE, -1)
			.addDuration(DurationMetric.BUSINESS_RESOLUTION, 3_600_000)
			.addDuration(DurationMetric.RESOLUTION, 86_400_000);
		var stored = Figures.of(figures.counters(), figures.encodedSketches());
		assertThat(stored).isEqualTo(figures);
		assertThat(stored.sketch(DurationMetric.RESOLUTION).quantileSeconds(0.5)).isCloseTo(86_400,
				within(86_400 * 0.02));
	}

	private static byte[] encoded(DurationSketch sketch) {
		var out = new ByteArrayOutputStream();
		sketch.writeTo(out);
		return out.toByteArray();
	}
}
