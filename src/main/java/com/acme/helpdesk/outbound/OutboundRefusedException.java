package com.acme.helpdesk.outbound;

import com.acme.helpdesk.jobs.InvalidJobArgumentsException;

/**
 * A merchant's URL leads to an address it may not reach: nothing was sent. The job that made the call goes to the
 * dead letters at once with this message (retrying cannot help until the merchant changes the URL).
 */
public class OutboundRefusedException extends InvalidJobArgumentsException {

	OutboundRefusedException(String message) {
		super(message);
	}
}
