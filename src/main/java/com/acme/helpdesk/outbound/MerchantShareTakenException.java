package com.acme.helpdesk.outbound;

/**
 * The merchant's calls already hold its share of the queue's workers: nothing was sent. Not a failure: the job is
 * run again later ({@link OutboundCalls#postpone}).
 */
public class MerchantShareTakenException extends RuntimeException {

	MerchantShareTakenException(String message) {
		super(message, null, false, false);
	}
}
