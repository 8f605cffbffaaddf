package com.acme.helpdesk.shared;

/** Answered with 404. Also used for another merchant's resources, so their existence never shows. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String resource, Object id) {
		super("%s %s not found".formatted(resource, id));
	}
}
