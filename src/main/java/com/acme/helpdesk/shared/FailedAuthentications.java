package com.acme.helpdesk.shared;

/**
 * The failed-authentication throttle ({@code helpdesk.failed-authentication}) for credentials checked outside the
 * service's HTTP filters, such as the JobRunr dashboard's password: a wrong credential counts against its client
 * address, and an address that presented too many gets 429 for a while.
 */
public interface FailedAuthentications {

	/** How many seconds the address must wait before it may present a credential again; 0 when it may now. */
	long retryAfterSeconds(String address);

	/** Counts a wrong credential presented by the address. */
	void failed(String address);
}
