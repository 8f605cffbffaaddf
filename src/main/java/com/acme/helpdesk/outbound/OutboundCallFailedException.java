package com.acme.helpdesk.outbound;

/** The merchant's endpoint failed to answer in time, answered other than 2xx, or answered too much: retried. */
public class OutboundCallFailedException extends RuntimeException {

	OutboundCallFailedException(String message, Throwable cause) {
		super(message, cause);
	}
}
