package com.acme.helpdesk.shared;

/** A request field whose value is well-formed but not acceptable (an unknown category, say); answered with 400. */
public class InvalidFieldException extends RuntimeException {

	private final String field;

	public InvalidFieldException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
