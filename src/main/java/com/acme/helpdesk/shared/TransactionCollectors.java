package com.acme.helpdesk.shared;

import java.util.function.Predicate;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What one transaction collects until it commits (locks held, tickets to mark, assignees to notify): a
 * {@link TransactionSynchronization} found among the current transaction's, or registered with the first use. A
 * suspended transaction keeps its own, since Spring suspends its synchronizations with it.
 */
public final class TransactionCollectors {

	private TransactionCollectors() {
	}

	/** The current transaction's synchronization of {@code type} that {@code mine} accepts, or a new one, registered. */
	public static <T extends TransactionSynchronization> T ofThisTransaction(Class<T> type, Predicate<T> mine,
			Supplier<T> create) {
		for (var synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (type.isInstance(synchronization) && mine.test(type.cast(synchronization))) {
				return type.cast(synchronization);
			}
		}
		var created = create.get();
		TransactionSynchronizationManager.registerSynchronization(created);
		return created;
	}
}
