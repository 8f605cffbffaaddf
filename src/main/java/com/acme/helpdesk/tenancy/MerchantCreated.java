package com.acme.helpdesk.tenancy;

import java.util.UUID;

/** A merchant (tenant) was created; published in the creating transaction. */
public record MerchantCreated(UUID merchantId, String name) {
}
