package com.acme.helpdesk.jobs;

/**
 * Thrown by a {@link JobWorker} whose arguments can never work (an id that does not exist, a ticket of another
 * merchant). The job is not retried: it goes straight to the dead letters with this message.
 */
public class InvalidJobArgumentsException extends RuntimeException {

	public InvalidJobArgumentsException(String message) {
		super(message);
	}
}
