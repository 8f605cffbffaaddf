package com.acme.helpdesk.outbox;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.lang.Nullable;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.core.DefaultEventPublicationRegistry;
import org.springframework.modulith.events.core.EventPublicationRegistry;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalApplicationListenerMethodAdapter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

import com.acme.helpdesk.shared.DeliveredInBatches;

import jakarta.persistence.EntityManagerFactory;

/**
 * Completes the publication an {@link ApplicationModuleListener} handles inside that listener's own transaction, as
 * its last statement before the commit. Spring Modulith marks it completed only after that transaction, in a second
 * one of its own: per delivery one more connection checkout, BEGIN, UPDATE and COMMIT, and a moment in which the
 * listener's work is committed but its publication is not (a crash then delivers the event again).
 * <p>
 * Three parts work together: the registry remembers the id of every publication it stores or resubmits; advice around
 * each listener method (inside Modulith's completion advice, outside the transaction) says on the delivering thread
 * which publication is being handled; a {@link TransactionExecutionListener} gives the first transaction that begins
 * there a synchronization that marks the publication completed before commit. When Modulith then marks it completed,
 * the registry only forgets it.
 * <p>
 * A listener without a transaction of its own (a live push, which writes nothing) has its publication completed by
 * the {@code publication-completer} thread, many in one statement, a moment after it returns; a crash in that moment
 * delivers the event again, which at-least-once delivery allows. Publications the registry does not know take
 * Modulith's way.
 */
@Configuration(proxyBeanMethods = false)
class ListenerTransactionCompletion {

	@Bean
	@Primary
	CompletingRegistry completingEventPublicationRegistry(DefaultEventPublicationRegistry registry,
			SqlEventPublicationRepository repository, ObjectProvider<Clock> clock,
			ObjectProvider<TransactionTemplate> transactions, ObjectProvider<EntityManagerFactory> entityManagers) {
		return new CompletingRegistry(registry, repository, clock.getIfAvailable(Clock::systemUTC),
				SingletonSupplier.of(() -> {
					var template = new TransactionTemplate(transactions.getObject().getTransactionManager());
					template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
					return template;
				}), SingletonSupplier.of(entityManagers::getIfAvailable));
	}

	/**
	 * Inside Modulith's completion advice ({@code HIGHEST_PRECEDENCE + 10}), outside the transaction advice. Only for
	 * listeners with a transaction of their own: in one without, the first transaction to begin would be some callee's.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor publicationInHandAdvisor(ObjectProvider<CompletingRegistry> registryProvider) {
		var registry = SingletonSupplier.of(registryProvider::getObject);
		var listeners = new ConcurrentHashMap<Method, Listener>();
		var advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(ApplicationModuleListener.class),
				(MethodInterceptor) invocation -> {
					var listener = listeners.computeIfAbsent(invocation.getMethod(), Listener::of);
					if (!listener.ownTransaction()) {
						return invocation.proceed();
					}
					if (listener.inBatches()) {
						return registry.obtain().deliverInBatches(invocation, listener.id());
					}
					return registry.obtain().deliver(invocation.getArguments()[0], listener.id(), invocation::proceed);
				});
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
		return advisor;
	}

	/**
	 * The id Modulith gives the listener (and its publications), whether it runs in a new transaction, and whether its
	 * deliveries may share one ({@link DeliveredInBatches}).
	 */
	private record Listener(String id, boolean ownTransaction, boolean inBatches) {

		static Listener of(Method method) {
			var transactional = AnnotatedElementUtils.findMergedAnnotation(method, Transactional.class);
			var ownTransaction = transactional != null && transactional.propagation() == Propagation.REQUIRES_NEW;
			return new Listener(
					new TransactionalApplicationListenerMethodAdapter("", method.getDeclaringClass(), method).getListenerId(),
					ownTransaction, ownTransaction && AnnotatedElementUtils.hasAnnotation(method, DeliveredInBatches.class));
		}
	}

	@Bean
	TransactionExecutionListener completePublicationBeforeCommit(CompletingRegistry registry) {
		return new TransactionExecutionListener() {
			@Override
			public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
				if (beginFailure == null && transaction.isNewTransaction() && !transaction.isReadOnly()) {
					registry.completeInThisTransaction();
				}
			}
		};
	}

	interface Delivery {
		Object proceed() throws Throwable;
	}

	static class CompletingRegistry implements EventPublicationRegistry, DisposableBean {

		private static final Logger log = LoggerFactory.getLogger(CompletingRegistry.class);
		private static final int MAX_BATCH = 500;
		private static final int MAX_SHARED_TRANSACTION = 32;

		private record Key(Object event, String listenerId) {

			static Key of(TargetEventPublication publication) {
				return new Key(publication.getEvent(), publication.getTargetIdentifier().getValue());
			}

			/** Modulith tells publications in progress apart by the identity of their event, and so does this. */
			@Override
			public boolean equals(Object other) {
				return other instanceof Key that && that.event == event && that.listenerId.equals(listenerId);
			}

			@Override
			public int hashCode() {
				return System.identityHashCode(event) * 31 + listenerId.hashCode();
			}
		}

		private static final class Pending {

			final UUID publicationId;
			volatile boolean completed;
			/** Handed to its listener's {@link Batches}, which completes it. */
			volatile boolean batched;

			Pending(UUID publicationId) {
				this.publicationId = publicationId;
			}
		}

		private final DefaultEventPublicationRegistry delegate;
		private final SqlEventPublicationRepository repository;
		private final Clock clock;
		private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
		private final ThreadLocal<Pending> inHand = new ThreadLocal<>();
		private final BlockingQueue<UUID> toComplete = new LinkedBlockingQueue<>();
		private final Thread completer;
		private final Supplier<TransactionTemplate> transactions;
		private final Supplier<EntityManagerFactory> entityManagers;
		private final Map<String, Batches> batches = new ConcurrentHashMap<>();
		private final AtomicInteger batchedInFlight = new AtomicInteger();
		private volatile boolean running = true;

		CompletingRegistry(DefaultEventPublicationRegistry delegate, SqlEventPublicationRepository repository,
				Clock clock, Supplier<TransactionTemplate> transactions, Supplier<EntityManagerFactory> entityManagers) {
			this.delegate = delegate;
			this.repository = repository;
			this.clock = clock;
			this.transactions = transactions;
			this.entityManagers = entityManagers;
			this.completer = new Thread(this::completeQueued, "publication-completer");
			this.completer.setDaemon(true);
			this.completer.start();
		}

		@Override
		public Collection<TargetEventPublication> store(Object event, Stream<PublicationTargetIdentifier> listeners) {
			var stored = delegate.store(event, listeners);
			var keys = stored.stream().map(Key::of).toList();
			for (var publication : stored) {
				pending.put(Key.of(publication), new Pending(publication.getIdentifier()));
			}
			if (TransactionSynchronizationManager.isSynchronizationActive()) {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCompletion(int status) {
						if (status != STATUS_COMMITTED) {
							keys.forEach(pending::remove);
						}
					}
				});
			}
			return stored;
		}

		@Override
		public void processIncompletePublications(Predicate<EventPublication> filter,
				Consumer<TargetEventPublication> consumer, @Nullable Duration duration) {
			delegate.processIncompletePublications(filter, publication -> {
				var key = Key.of(publication);
				pending.put(key, new Pending(publication.getIdentifier()));
				try {
					consumer.accept(publication);
				}
				catch (RuntimeException e) {
					pending.remove(key);
					throw e;
				}
			}, duration);
		}

		@Override
		public void markCompleted(Object event, PublicationTargetIdentifier listener) {
			var publication = pending.remove(new Key(event, listener.getValue()));
			if (publication == null) {
				delegate.markCompleted(event, listener);
				return;
			}
			// Spring Modulith 1.4's markFailed only forgets the publication in progress; it writes nothing
			delegate.markFailed(event, listener);
			if (!publication.completed && !publication.batched) {
				toComplete.add(publication.publicationId);
			}
		}

		@Override
		public void markFailed(Object event, PublicationTargetIdentifier listener) {
			pending.remove(new Key(event, listener.getValue()));
			delegate.markFailed(event, listener);
		}

		Object deliver(Object event, String listenerId, Delivery delivery) throws Throwable {
			var publication = pending.get(new Key(event, listenerId));
			if (publication == null) {
				return delivery.proceed();
			}
			return deliver(publication, delivery);
		}

		private Object deliver(Pending publication, Delivery delivery) throws Throwable {
			inHand.set(publication);
			try {
				return delivery.proceed();
			}
			finally {
				inHand.remove();
			}
		}

		/**
		 * Queues the delivery for the listener's {@link Batches} and, unless another thread is handling that listener's
		 * queue, handles the queue until it is empty. The listener's own advice (its transaction) runs only when an
		 * event is delivered alone.
		 */
		Object deliverInBatches(MethodInvocation invocation, String listenerId) throws Throwable {
			var event = invocation.getArguments()[0];
			var publication = pending.get(new Key(event, listenerId));
			if (publication == null || !(invocation instanceof ProxyMethodInvocation proxied)) {
				return deliver(event, listenerId, invocation::proceed);
			}
			publication.batched = true;
			batchedInFlight.incrementAndGet();
			var queue = batches.computeIfAbsent(listenerId, Batches::new);
			queue.add(new Batched(publication, proxied.invocableClone(), proxied.getThis(), invocation.getMethod(),
					invocation.getArguments()));
			queue.drainUnlessDrained();
			return null;
		}

		private record Batched(Pending publication, MethodInvocation invocation, Object target, Method method,
				Object[] arguments) {
		}

		/** The deliveries queued for one listener, handled by one thread at a time. */
		private final class Batches {

			private final String listenerId;
			private final Queue<Batched> queue = new ConcurrentLinkedQueue<>();
			private final AtomicBoolean draining = new AtomicBoolean();

			Batches(String listenerId) {
				this.listenerId = listenerId;
			}

			void add(Batched delivery) {
				queue.add(delivery);
			}

			int size() {
				return queue.size();
			}

			void drainUnlessDrained() {
				while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
					try {
						for (var batch = next(); !batch.isEmpty(); batch = next()) {
							handle(batch);
						}
					}
					finally {
						draining.set(false);
					}
				}
			}

			private List<Batched> next() {
				var batch = new ArrayList<Batched>();
				for (Batched delivery; batch.size() < MAX_SHARED_TRANSACTION && (delivery = queue.poll()) != null;) {
					batch.add(delivery);
				}
				return batch;
			}

			private void handle(List<Batched> batch) {
				try {
					if (batch.size() == 1) {
						alone(batch.get(0));
					}
					else {
						together(batch);
					}
				}
				finally {
					batchedInFlight.addAndGet(-batch.size());
				}
			}

			private void together(List<Batched> batch) {
				try {
					transactions.get().executeWithoutResult(status -> {
						var entityManager = entityManagers.get() == null ? null
								: EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagers.get());
						for (var delivery : batch) {
							try {
								AopUtils.invokeJoinpointUsingReflection(delivery.target(), delivery.method(),
										delivery.arguments());
							}
							catch (RuntimeException | Error e) {
								throw e;
							}
							catch (Throwable e) {
								throw new UndeclaredThrowableException(e);
							}
							if (entityManager != null) {
								// each event starts from what the database holds, as in a transaction of its own
								entityManager.flush();
								entityManager.clear();
							}
						}
						repository.markCompleted(batch.stream().map(delivery -> delivery.publication().publicationId).toList(),
								clock.instant());
					});
				}
				catch (RuntimeException e) {
					log.debug("A transaction shared by {} deliveries to {} failed; each is delivered alone", batch.size(),
							listenerId, e);
					batch.forEach(this::alone);
					return;
				}
				batch.forEach(delivery -> delivery.publication().completed = true);
			}

			private void alone(Batched delivery) {
				try {
					deliver(delivery.publication(), delivery.invocation()::proceed);
				}
				catch (Throwable e) {
					log.warn("{} failed; its event publication {} stays incomplete until it is resubmitted", listenerId,
							delivery.publication().publicationId, e);
				}
			}
		}

		/** Called as a transaction begins; the first one inside a delivery is the listener's own. */
		void completeInThisTransaction() {
			var publication = inHand.get();
			if (publication == null) {
				return;
			}
			inHand.remove();
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					repository.markCompleted(publication.publicationId, clock.instant());
				}

				@Override
				public void afterCommit() {
					publication.completed = true;
				}
			});
		}

		private void completeQueued() {
			var batch = new ArrayList<UUID>(MAX_BATCH);
			while (running || !toComplete.isEmpty()) {
				try {
					var first = toComplete.poll(1, TimeUnit.SECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					toComplete.drainTo(batch, MAX_BATCH - 1);
					repository.markCompleted(batch, clock.instant());
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (RuntimeException e) {
					// still incomplete, so delivered again later: the events' listeners are idempotent
					log.warn("Could not mark {} event publications completed", batch.size(), e);
				}
				batch.clear();
			}
		}

		/** Completes what is queued, then stops. */
		@Override
		public void destroy() throws InterruptedException {
			running = false;
			completer.join(Duration.ofSeconds(10).toMillis());
		}

		/** Completed publications not yet written (the completer writes them a moment later). */
		int queuedCompletions() {
			return toComplete.size();
		}

		/** Deliveries waiting for the listener's {@link DeliveredInBatches} queue to reach them. */
		int queuedFor(String listenerId) {
			var queue = batches.get(listenerId);
			return queue == null ? 0 : queue.size();
		}

		/** Publications stored or resubmitted whose listener has not finished yet. */
		int inProgress() {
			return pending.size() + batchedInFlight.get();
		}

		@Override
		public Collection<TargetEventPublication> findIncompletePublications() {
			return delegate.findIncompletePublications();
		}

		@Override
		public Collection<TargetEventPublication> findIncompletePublicationsOlderThan(Duration duration) {
			return delegate.findIncompletePublicationsOlderThan(duration);
		}

		@Override
		public void deleteCompletedPublicationsOlderThan(Duration duration) {
			delegate.deleteCompletedPublicationsOlderThan(duration);
		}
	}
}
