package com.acme.helpdesk.shared;

import java.io.IOException;

/** A request body grew past the limit while it was read (a chunked body has no length to check first). */
class PayloadTooLargeException extends IOException {

	PayloadTooLargeException(long limit) {
		super("The request body is larger than " + limit + " bytes");
	}
}
