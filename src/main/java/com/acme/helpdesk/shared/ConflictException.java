package com.acme.helpdesk.shared;

/** A request that contradicts the current state (a forbidden status change, a duplicate name); answered with 409. */
public class ConflictException extends RuntimeException {

	public ConflictException(String message) {
		super(message);
	}
}
