package com.acme.helpdesk.jobs.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.server.JobActivator;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

import com.acme.helpdesk.jobs.Backoff;
import com.acme.helpdesk.jobs.JobDispatcher;
import com.acme.helpdesk.jobs.JobIdempotency;
import com.acme.helpdesk.jobs.JobQueues;
import com.acme.helpdesk.jobs.JobWorker;
import com.acme.helpdesk.jobs.QueueSettings;
import com.acme.helpdesk.jobs.RunMode;
import com.acme.helpdesk.jobs.RecurringJobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Wires the queue layer. Configuration (see {@code docs/queues.md}):
 * <ul>
 * <li>{@link QueueProperties} (through {@link QueueSettingsConfiguration}): {@code helpdesk.run-mode}, {@code helpdesk.queues.<key>.*},
 * {@code helpdesk.jobs.default-concurrency}, {@code helpdesk.jobs.serve}</li>
 * <li>{@code jobrunr.background-job-server.poll-interval-in-seconds}, {@code .server-timeout-poll-interval-multiplicand},
 * {@code .delete-succeeded-jobs-after}, {@code .permanently-delete-deleted-jobs-after},
 * {@code .interrupt-jobs-await-duration-on-stop}: applied to every queue server
 * ({@code jobrunr.background-job-server.enabled} stays {@code false}: the starter's single server is replaced)</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Import(QueueSettingsConfiguration.class)
class QueueConfiguration {

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}

	@Bean
	QueueMetrics queueMetrics(MeterRegistry registry) {
		return new QueueMetrics(registry);
	}

	@Bean
	JobTracing jobTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
			ObjectProvider<ObservationRegistry> observations) {
		return new JobTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	QueueBacklog queueBacklog(JdbcClient jdbc, JobRunrProperties jobRunr, Clock clock) {
		return new QueueBacklog(jdbc, jobRunr.getDatabase().getTablePrefix(), clock);
	}

	@Bean
	HandleDeadLetter handleDeadLetter(JdbcClient jdbc, QueueMetrics metrics, Clock clock) {
		return new HandleDeadLetter(jdbc, metrics, clock);
	}

	@Bean
	QueueServers.ServerSettings queueServerSettings(RunMode runMode, QueueProperties properties,
			JobRunrProperties jobRunr) {
		var server = jobRunr.getBackgroundJobServer();
		return new QueueServers.ServerSettings(runMode.runsJobs(), properties.jobs().servedQueues(),
				Duration.ofSeconds(or(server.getPollIntervalInSeconds(), 5)),
				or(server.getServerTimeoutPollIntervalMultiplicand(), 4), properties.jobs().defaultConcurrency(),
				or(server.getDeleteSucceededJobsAfter(), Duration.ofHours(36)),
				or(server.getPermanentlyDeleteDeletedJobsAfter(), Duration.ofHours(72)),
				or(server.getInterruptJobsAwaitDurationOnStop(), Duration.ofSeconds(10)));
	}

	/** The retries of jobs on no queue (the recurring maintenance jobs). */
	static QueueSettings noQueueSettings(QueueServers.ServerSettings settings) {
		return new QueueSettings(null, settings.defaultConcurrency(), 3, Backoff.EXPONENTIAL, Duration.ofSeconds(5), 10);
	}

	@Bean
	QueueServers queueServers(QueueServers.ServerSettings settings, JobQueues queues, StorageProvider storage,
			DataSource dataSource, JobMapper jobMapper, JsonMapper jobRunrJsonMapper, JobActivator activator,
			JobRunrProperties jobRunr, QueueMetrics metrics, HandleDeadLetter handleDeadLetter, Clock clock) {
		List<org.jobrunr.jobs.filters.JobFilter> filters = List.of(
				new QueueRetryFilter(queues, noQueueSettings(settings), clock),
				new QueueJobObserver(metrics, handleDeadLetter));
		return new QueueServers(settings, queues, storage, dataSource, jobMapper,
				jobRunr.getDatabase().getTablePrefix(), jobRunrJsonMapper, activator, filters);
	}

	@Bean
	JobNotifier jobNotifier(DataSource dataSource) {
		return new JobNotifier(dataSource);
	}

	@Bean
	JobDispatcher jobDispatcher(DataSource dataSource, JobMapper jobMapper, JobRunrProperties jobRunr,
			QueueServers servers, JobNotifier notifier, QueueMetrics metrics, JobTracing tracing, Clock clock) {
		return new JdbcJobDispatcher(dataSource, jobMapper, jobRunr.getDatabase().getTablePrefix(), servers, notifier,
				metrics, tracing, clock);
	}

	@Bean
	static WritableTransactionTracker writableTransactionTracker() {
		return new WritableTransactionTracker();
	}

	@Bean
	JobIdempotency jobIdempotency(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
		return new JdbcJobIdempotency(jdbc, transactions, clock);
	}

	@Bean
	DeadLetters deadLetters(JdbcClient jdbc, StorageProvider storage, QueueServers servers) {
		return new DeadLetters(jdbc, storage, servers);
	}

	@Bean
	RecurringJobs recurringJobs(StorageProvider storage) {
		return new QueueRecurringJobs(storage);
	}

	@Bean
	FilterRegistrationBean<WorkerModeFilter> workerModeFilter(RunMode runMode) {
		var registration = new FilterRegistrationBean<>(new WorkerModeFilter());
		registration.setEnabled(!runMode.servesApi());
		registration.addUrlPatterns("/api/*", "/public/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	SharedJobTransactions sharedJobTransactions(ObjectProvider<TransactionTemplate> transactions,
			ObjectProvider<EntityManagerFactory> entityManagers, ObjectProvider<ObservationRegistry> observations) {
		return new SharedJobTransactions(SingletonSupplier.of(transactions::getObject),
				SingletonSupplier.of(entityManagers::getIfAvailable),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	// one handler bean per queue: JobRunr activates the class named in the job through the application context

	@Bean
	QueueHandler.SlaMonitor slaMonitorQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.SlaMonitor(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.Escalation escalationQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.Escalation(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.Assignment assignmentQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.Assignment(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.Notification notificationQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.Notification(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.ContextEnrichment contextEnrichmentQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.ContextEnrichment(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.SurveyTrigger surveyTriggerQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.SurveyTrigger(workers, sharedTransactions, tracing);
	}

	@Bean
	QueueHandler.AnalyticsUpdate analyticsUpdateQueue(ObjectProvider<JobWorker<?>> workers, SharedJobTransactions sharedTransactions,
			JobTracing tracing) {
		return new QueueHandler.AnalyticsUpdate(workers, sharedTransactions, tracing);
	}
}
