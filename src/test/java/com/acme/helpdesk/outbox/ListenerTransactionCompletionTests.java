package com.acme.helpdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.acme.helpdesk.support.HelpdeskTest;
import com.acme.helpdesk.support.TestApi;
import com.acme.helpdesk.tickets.TicketCreated;

/**
 * A listener's publication is completed in the listener's own transaction: complete the moment that transaction
 * commits, and still incomplete when it does not commit, also for a resubmitted publication.
 */
@HelpdeskTest
@Import({ ListenerTransactionCompletionTests.ProbingListener.class,
		ListenerTransactionCompletionTests.UntransactionalListener.class, ListenerTransactionCompletionTests.SharingListener.class })
class ListenerTransactionCompletionTests {

	static final String LISTENER_ID = "test.probing-listener";
	static final String UNTRANSACTIONAL_LISTENER_ID = "test.untransactional-listener";
	static final String SHARING_LISTENER_ID = "test.sharing-listener";

	/** Records the transaction each delivery ran in; can be held on one ticket, and made to fail for another. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SharingListener {

		final JdbcClient jdbc;
		volatile UUID holdOn;
		volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
		volatile java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(0);
		volatile UUID failFor;

		SharingListener(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@com.acme.helpdesk.shared.DeliveredInBatches
		@ApplicationModuleListener(id = SHARING_LISTENER_ID)
		void on(TicketCreated event) throws InterruptedException {
			jdbc.sql("INSERT INTO sharing_probe (ticket_id, merchant_id, transaction_id) VALUES (?, ?, txid_current())")
				.params(event.ticketId(), event.merchantId())
				.update();
			if (event.ticketId().equals(holdOn)) {
				held.countDown();
				released.await(30, java.util.concurrent.TimeUnit.SECONDS);
			}
			if (event.ticketId().equals(failFor)) {
				throw new IllegalStateException("fails for this ticket");
			}
		}

		/** Holds the delivery for the ticket until {@code release} opens; answers a latch that opens once it is held. */
		java.util.concurrent.CountDownLatch holdOn(UUID ticketId, java.util.concurrent.CountDownLatch release) {
			held = new java.util.concurrent.CountDownLatch(1);
			released = release;
			holdOn = ticketId;
			return held;
		}

		void failFor(UUID ticketId) {
			failFor = ticketId;
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UntransactionalListener {

		final Map<UUID, Boolean> inTransaction = new ConcurrentHashMap<>();
		final org.springframework.transaction.support.TransactionTemplate transactions;
		final JdbcClient jdbc;
		volatile boolean failAfterATransaction;

		UntransactionalListener(org.springframework.transaction.support.TransactionTemplate transactions, JdbcClient jdbc) {
			this.transactions = transactions;
			this.jdbc = jdbc;
		}

		@ApplicationModuleListener(id = UNTRANSACTIONAL_LISTENER_ID,
				propagation = org.springframework.transaction.annotation.Propagation.NOT_SUPPORTED)
		void on(TicketCreated event) {
			inTransaction.put(event.ticketId(), TransactionSynchronizationManager.isActualTransactionActive());
			if (failAfterATransaction) {
				// a callee's transaction must not complete the listener's publication
				transactions.executeWithoutResult(status -> jdbc.sql("SELECT 1").query(Integer.class).single());
				throw new IllegalStateException("fails after a transaction of its callee");
			}
		}

		Map<UUID, Boolean> inTransaction() {
			return inTransaction;
		}

		void failAfterATransaction(boolean fail) {
			failAfterATransaction = fail;
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ProbingListener {

		final JdbcClient jdbc;
		final DataSource dataSource;
		final Map<UUID, Boolean> completedAtCommit = new ConcurrentHashMap<>();
		final AtomicInteger attempts = new AtomicInteger();
		volatile boolean failAtCommit;

		ProbingListener(JdbcClient jdbc, DataSource dataSource) {
			this.jdbc = jdbc;
			this.dataSource = dataSource;
		}

		@ApplicationModuleListener(id = LISTENER_ID)
		void on(TicketCreated event) {
			attempts.incrementAndGet();
			if (failAtCommit) {
				// a deferred foreign key: the statement passes, the commit fails
				jdbc.sql("INSERT INTO completion_probe (merchant_id) VALUES (?)").param(UUID.randomUUID()).update();
			}
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					completedAtCommit.put(event.ticketId(), completedSeenFromAnotherConnection(event.ticketId()));
				}
			});
		}

		// the bean is a proxy: its state is read and set through methods
		Map<UUID, Boolean> completedAtCommit() {
			return completedAtCommit;
		}

		int attempts() {
			return attempts.get();
		}

		void failAtCommit(boolean fail) {
			failAtCommit = fail;
		}

		private boolean completedSeenFromAnotherConnection(UUID ticketId) {
			try (var connection = dataSource.getConnection();
					var statement = connection.prepareStatement("SELECT completion_date IS NOT NULL FROM event_publication "
							+ "WHERE listener_id = ? AND serialized_event LIKE ?")) {
				statement.setString(1, LISTENER_ID);
				statement.setString(2, "%\"ticketId\":\"" + ticketId + "\"%");
				try (var result = statement.executeQuery()) {
					return result.next() && result.getBoolean(1);
				}
			}
			catch (SQLException e) {
				throw new IllegalStateException(e);
			}
		}
	}

	@Autowired
	TestApi api;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ProbingListener listener;

	@Autowired
	ListenerTransactionCompletion.CompletingRegistry registry;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@BeforeEach
	void probeTable() {
		jdbc.sql("CREATE TABLE IF NOT EXISTS completion_probe (merchant_id UUID NOT NULL "
				+ "REFERENCES merchant (id) DEFERRABLE INITIALLY DEFERRED)").update();
		jdbc.sql("CREATE TABLE IF NOT EXISTS sharing_probe (ticket_id UUID NOT NULL, merchant_id UUID NOT NULL, "
				+ "transaction_id BIGINT NOT NULL)").update();
		listener.failAtCommit(false);
	}

	@Test
	void deliveriesThatQueueUpWhileOneRunsShareOneTransactionAndEachEventIsHandledOnce(
			@Autowired SharingListener sharing) {
		var merchant = api.newMerchant();
		var release = new java.util.concurrent.CountDownLatch(1);
		var first = UUID.randomUUID();
		var held = sharing.holdOn(first, release);
		try {
			publishTicketCreated(merchant, first);
			await().atMost(Duration.ofSeconds(10)).until(() -> held.getCount() == 0);
			var queued = java.util.stream.IntStream.range(0, 10).mapToObj(i -> UUID.randomUUID()).toList();
			queued.forEach(ticket -> publishTicketCreated(merchant, ticket));
			await().atMost(Duration.ofSeconds(10)).until(() -> registry.queuedFor(SHARING_LISTENER_ID) == 10);
		}
		finally {
			release.countDown();
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> sharingPublicationsIncomplete(merchant) == 0);
		assertThat(handled(merchant)).hasSize(11).allSatisfy((ticket, times) -> assertThat(times).isEqualTo(1));
		assertThat(transactionsOf(merchant)).as("the held one's, then one for the ten queued behind it").isEqualTo(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.queuedFor(SHARING_LISTENER_ID) == 0);
	}

	@Test
	void whenASharedTransactionFailsEachOfItsEventsIsDeliveredAloneAndOnlyTheFailingOneStaysIncomplete(
			@Autowired SharingListener sharing) {
		var merchant = api.newMerchant();
		var release = new java.util.concurrent.CountDownLatch(1);
		var first = UUID.randomUUID();
		var queued = java.util.stream.IntStream.range(0, 6).mapToObj(i -> UUID.randomUUID()).toList();
		var failing = queued.get(3);
		var held = sharing.holdOn(first, release);
		sharing.failFor(failing);
		try {
			publishTicketCreated(merchant, first);
			await().atMost(Duration.ofSeconds(10)).until(() -> held.getCount() == 0);
			queued.forEach(ticket -> publishTicketCreated(merchant, ticket));
			await().atMost(Duration.ofSeconds(10)).until(() -> registry.queuedFor(SHARING_LISTENER_ID) == 6);
			release.countDown();

			await().atMost(Duration.ofSeconds(10)).until(() -> sharingPublicationsIncomplete(merchant) == 1);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> sharingPublicationsIncomplete(merchant) == 1);
			assertThat(handled(merchant)).hasSize(6).doesNotContainKey(failing)
				.allSatisfy((ticket, times) -> assertThat(times).isEqualTo(1));
			assertThat(transactionsOf(merchant)).as("each of the five delivered alone, and the held one").isEqualTo(6);
		}
		finally {
			release.countDown();
			sharing.failFor(null);
		}

		api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));
		await().atMost(Duration.ofSeconds(10)).until(() -> sharingPublicationsIncomplete(merchant) == 0);
		assertThat(handled(merchant)).hasSize(7).allSatisfy((ticket, times) -> assertThat(times).isEqualTo(1));
	}

	/** A committed TicketCreated of a ticket that exists only in the event: this class's listeners need no more. */
	private void publishTicketCreated(TestApi.Merchant merchant, UUID ticketId) {
		transactions.executeWithoutResult(status -> events.publishEvent(ticketCreated(merchant, ticketId)));
	}

	private java.util.Map<UUID, Long> handled(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT ticket_id, count(*) FROM sharing_probe WHERE merchant_id = ? GROUP BY ticket_id")
			.param(merchant.id())
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private long transactionsOf(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT count(DISTINCT transaction_id) FROM sharing_probe WHERE merchant_id = ?")
			.param(merchant.id())
			.query(Long.class)
			.single();
	}

	private long sharingPublicationsIncomplete(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE listener_id = ? AND completion_date IS NULL AND serialized_event LIKE ?")
			.params(SHARING_LISTENER_ID, "%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single();
	}

	@Test
	void thePublicationIsCompleteWhenTheListenersTransactionCommits() {
		var merchant = api.newMerchant();
		var tickets = java.util.stream.IntStream.range(0, 20).mapToObj(i -> api.newTicket(merchant)).toList();

		await().atMost(Duration.ofSeconds(10)).until(() -> listener.completedAtCommit().keySet().containsAll(tickets));
		assertThat(tickets).allSatisfy(ticket -> assertThat(listener.completedAtCommit().get(ticket)).isTrue());
		await().atMost(Duration.ofSeconds(10)).until(() -> incompletePublicationsOf(merchant) == 0);
		assertThat(registry.inProgress()).isZero();
	}

	@Test
	void aListenerWhoseCommitFailsLeavesItsPublicationIncompleteAndAResubmissionCompletesItInItsTransaction() {
		listener.failAtCommit(true);
		var merchant = api.newMerchant();
		var before = listener.attempts();
		var ticket = api.newTicket(merchant);

		await().atMost(Duration.ofSeconds(10)).until(() -> listener.attempts() > before);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !completed(ticket));
		assertThat(listener.completedAtCommit()).doesNotContainKey(ticket);
		assertThat(jdbc.sql("SELECT count(*) FROM completion_probe").query(Long.class).single()).isZero();

		listener.failAtCommit(false);
		api.post("/ops/v1/event-publications/resubmit", TestApi.OPS_TOKEN, Map.of("olderThan", "PT0S"));

		await().atMost(Duration.ofSeconds(10)).until(() -> listener.completedAtCommit().containsKey(ticket));
		assertThat(listener.completedAtCommit().get(ticket)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.inProgress() == 0);
	}

	@Test
	void theCompleterCompletesThePublicationsOfListenersWithoutATransaction(@Autowired UntransactionalListener untransactional) {
		var merchant = api.newMerchant();
		var tickets = java.util.stream.IntStream.range(0, 30).mapToObj(i -> api.newTicket(merchant)).toList();

		await().atMost(Duration.ofSeconds(10)).until(() -> untransactional.inTransaction().keySet().containsAll(tickets));
		assertThat(tickets).allSatisfy(ticket -> assertThat(untransactional.inTransaction().get(ticket)).isFalse());
		await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
				"SELECT count(*) FROM event_publication WHERE listener_id = ? AND completion_date IS NULL AND serialized_event LIKE ?")
			.params(UNTRANSACTIONAL_LISTENER_ID, "%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single() == 0);
		assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(UNTRANSACTIONAL_LISTENER_ID, "%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single()).isEqualTo(30);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.inProgress() == 0 && registry.queuedCompletions() == 0);
	}

	@Test
	void aListenerWithoutATransactionThatFailsAfterACalleesTransactionLeavesItsPublicationIncomplete(
			@Autowired UntransactionalListener untransactional) {
		untransactional.failAfterATransaction(true);
		try {
			var merchant = api.newMerchant();
			var ticket = api.newTicket(merchant);
			await().atMost(Duration.ofSeconds(10)).until(() -> untransactional.inTransaction().containsKey(ticket));
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !jdbc.sql(
					"SELECT completion_date IS NOT NULL FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
				.params(UNTRANSACTIONAL_LISTENER_ID, "%\"ticketId\":\"" + ticket + "\"%")
				.query(Boolean.class)
				.single());
		}
		finally {
			untransactional.failAfterATransaction(false);
		}
	}

	@Test
	void anEventPublishedInANestedTransactionIsStoredWithThatTransactionNotWithTheOuterOne(
			@Autowired org.springframework.transaction.PlatformTransactionManager transactionManager,
			@Autowired org.springframework.context.ApplicationEventPublisher events) {
		var merchant = api.newMerchant();
		var outer = new org.springframework.transaction.support.TransactionTemplate(transactionManager);
		var inner = new org.springframework.transaction.support.TransactionTemplate(transactionManager);
		inner.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		var outerTicket = UUID.randomUUID();
		var innerTicket = UUID.randomUUID();

		outer.executeWithoutResult(status -> {
			events.publishEvent(ticketCreated(merchant, outerTicket));
			inner.executeWithoutResult(nested -> events.publishEvent(ticketCreated(merchant, innerTicket)));
			status.setRollbackOnly();
		});

		assertThat(publicationsOf(innerTicket)).isEqualTo(1);
		assertThat(publicationsOf(outerTicket)).isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> listener.completedAtCommit().containsKey(innerTicket));
	}

	private static TicketCreated ticketCreated(TestApi.Merchant merchant, UUID ticketId) {
		return new TicketCreated(UUID.randomUUID(), ticketId, merchant.id(), 1, "nested", null, java.util.List.of(),
				com.acme.helpdesk.tickets.Priority.LOW, null, null, null, java.time.Instant.now(), 0);
	}

	private long publicationsOf(UUID ticketId) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(LISTENER_ID, "%\"ticketId\":\"" + ticketId + "\"%")
			.query(Long.class)
			.single();
	}

	@Test
	void modulithsMulticasterAndCompletionAdviceUseThisRegistryLookedUpOnce(
			@Autowired org.springframework.context.ApplicationContext context) {
		for (var bean : java.util.List.of(RegistryResolvedOnce.MULTICASTER, RegistryResolvedOnce.COMPLETION_ADVISOR)) {
			var target = context.getBean(bean);
			var registryField = bean.equals(RegistryResolvedOnce.MULTICASTER) ? target
					: org.springframework.test.util.ReflectionTestUtils.getField(target, "advice");
			var supplier = org.springframework.test.util.ReflectionTestUtils.getField(registryField, "registry");
			assertThat(supplier).as(bean).isInstanceOf(org.springframework.util.function.SingletonSupplier.class);
			assertThat(((java.util.function.Supplier<?>) supplier).get()).as(bean).isSameAs(registry);
		}
	}

	private boolean completed(UUID ticketId) {
		return jdbc.sql("SELECT completion_date IS NOT NULL FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
			.params(LISTENER_ID, "%\"ticketId\":\"" + ticketId + "\"%")
			.query(Boolean.class)
			.single();
	}

	private long incompletePublicationsOf(TestApi.Merchant merchant) {
		return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ?")
			.param("%\"merchantId\":\"" + merchant.id() + "\"%")
			.query(Long.class)
			.single();
	}

}
