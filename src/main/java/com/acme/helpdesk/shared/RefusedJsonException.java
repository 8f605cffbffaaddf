package com.acme.helpdesk.shared;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

/** A request body refused while it is parsed (too deep, too long, a NUL character...), naming where. */
class RefusedJsonException extends JsonParseException {

	private final String field;

	RefusedJsonException(JsonParser parser, String field, String message) {
		super(parser, message);
		this.field = field;
	}

	String field() {
		return field;
	}
}
