package com.acme.helpdesk.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.shared.CachedReading;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The outbox's backlog, cluster-wide: {@code helpdesk.outbox.incomplete} (event publications whose listener has not
 * completed: in flight, failed, or of a process that died) and {@code helpdesk.outbox.incomplete.oldest.age} (seconds
 * since the oldest of them was published, 0 when none). One query, at most every {@link CachedReading#GAUGE_MAX_AGE},
 * answered from the partial index of incomplete publications ({@code event_publication_incomplete_idx}) alone.
 */
@Component
class OutboxMetrics implements MeterBinder {

	record Reading(long incomplete, Instant oldest) {
	}

	private static final Reading UNAVAILABLE = new Reading(-1, null);

	private final JdbcClient jdbc;
	private final Clock clock;
	private final CachedReading<Reading> reading;

	OutboxMetrics(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.reading = new CachedReading<>("the incomplete event publications", CachedReading.GAUGE_MAX_AGE, this::read,
				UNAVAILABLE);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("helpdesk.outbox.incomplete", reading,
				r -> r.get() == UNAVAILABLE ? Double.NaN : r.get().incomplete())
			.description("Event publications not completed by their listener, in the whole cluster")
			.register(registry);
		TimeGauge.builder("helpdesk.outbox.incomplete.oldest.age", reading, TimeUnit.SECONDS, r -> age(r.get()))
			.description("How long ago the oldest incomplete event publication was published (0: none)")
			.register(registry);
	}

	private double age(Reading reading) {
		if (reading == UNAVAILABLE) {
			return Double.NaN;
		}
		if (reading.oldest() == null) {
			return 0;
		}
		return Math.max(0, Duration.between(reading.oldest(), clock.instant()).toMillis() / 1000.0);
	}

	private Reading read() {
		return jdbc.sql("SELECT count(*), min(publication_date) FROM event_publication WHERE completion_date IS NULL")
			.query((rows, row) -> {
				var oldest = rows.getTimestamp(2);
				return new Reading(rows.getLong(1), oldest == null ? null : oldest.toInstant());
			})
			.single();
	}
}
