package com.acme.helpdesk.jobs.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.springframework.lang.Nullable;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells whether the calling thread is inside a transaction that can still take writes. Spring's own flags cannot:
 * in a transaction's {@code afterCommit} and {@code afterCompletion} callbacks the transaction is still bound to the
 * thread although it has finished, and a write there would go into a connection nobody commits. So this listener
 * keeps, per thread, the transactions its manager began and marks each as finishing once its commit or rollback
 * starts (after the {@code beforeCommit} callbacks, which may still write).
 */
class WritableTransactionTracker implements TransactionExecutionListener {

	private static final class Begun {

		final TransactionExecution transaction;
		boolean finishing;

		Begun(TransactionExecution transaction) {
			this.transaction = transaction;
		}
	}

	private static final ThreadLocal<Deque<Begun>> begun = ThreadLocal.withInitial(ArrayDeque::new);

	/**
	 * Whether a write now joins a transaction that will still commit or roll back: one that this manager began, is
	 * neither finishing nor read-only, and is not suspended.
	 */
	static boolean isOpen() {
		var stack = begun.get();
		while (!stack.isEmpty() && stack.peek().transaction.isCompleted()) {
			stack.pop(); // ended on a path that told no listener
		}
		var innermost = stack.peek();
		return innermost != null && !innermost.finishing
				&& TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()
				&& !TransactionSynchronizationManager.isCurrentTransactionReadOnly();
	}

	@Override
	public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
		if (beginFailure == null) {
			begun.get().push(new Begun(transaction));
		}
	}

	@Override
	public void beforeCommit(TransactionExecution transaction) {
		finishing(transaction);
	}

	@Override
	public void beforeRollback(TransactionExecution transaction) {
		finishing(transaction);
	}

	@Override
	public void afterCommit(TransactionExecution transaction, @Nullable Throwable commitFailure) {
		ended(transaction);
	}

	@Override
	public void afterRollback(TransactionExecution transaction, @Nullable Throwable rollbackFailure) {
		ended(transaction);
	}

	private static void finishing(TransactionExecution transaction) {
		for (var entry : begun.get()) {
			if (entry.transaction == transaction) {
				entry.finishing = true;
			}
		}
	}

	private static void ended(TransactionExecution transaction) {
		var stack = begun.get();
		stack.removeIf(entry -> entry.transaction == transaction);
		if (stack.isEmpty()) {
			begun.remove();
		}
	}
}
