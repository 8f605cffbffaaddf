package com.acme.helpdesk.shared;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.hibernate.exception.JDBCConnectionException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Tells the failures of a database that is away (no connection within the bound, a connection lost) from bugs. */
final class DatabaseUnavailable {

	static final String DETAIL = "The database is unavailable; retry after the time given in Retry-After";

	private DatabaseUnavailable() {
	}

	static boolean isCauseOf(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
					|| t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException) {
				return true;
			}
			// SQLSTATE class 08: connection exception (PostgreSQL's driver: 08001 cannot connect, 08006 connection lost)
			if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return true;
			}
			// a rollback (or commit) that failed on a connection the pool had already closed: the exception thrown when
			// a transaction's statement lost its connection, since the failed rollback overrides the statement's own
			if (t instanceof org.hibernate.TransactionException && t.getCause() instanceof SQLException sql
					&& sql.getSQLState() == null) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}
}
