package com.acme.helpdesk.tickets;

import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.tenancy.MerchantCreated;

/**
 * Per-merchant ticket numbers from one PostgreSQL sequence per merchant: contention-free, unlike a
 * counter row. Numbers are unique and increasing; a rolled-back creation leaves a gap.
 */
@Component
class TicketNumbers {

	private final JdbcClient jdbc;

	TicketNumbers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Runs in the merchant's creating transaction, so a merchant never exists without its sequence. */
	@EventListener
	void on(MerchantCreated event) {
		jdbc.sql("CREATE SEQUENCE IF NOT EXISTS " + sequence(event.merchantId())).update();
	}

	/** The merchant's sequence; {@link NewTicketReferences} draws the numbers. */
	static String sequence(UUID merchantId) {
		return "ticket_number_" + merchantId.toString().replace("-", "");
	}
}
