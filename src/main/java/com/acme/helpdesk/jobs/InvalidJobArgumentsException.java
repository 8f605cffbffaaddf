package com.acme.helpdesk.jobs;

/**
 * Thrown by a {@link JobWorker} whose arguments can never work (an id that does not exist, a ticket of another
 * merchant). The job is not retried: it goes straight to the dead letters with this message. Subclasses name such
 * failures of a module (an outbound call refused for its address, say) and are not retried either.
 */
public class InvalidJobArgumentsException extends RuntimeException {

	public InvalidJobArgumentsException(String message) {
		super(message);
	}
}
