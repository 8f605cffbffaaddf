package com.acme.helpdesk.realtime;

import java.security.Principal;
import java.util.UUID;

import com.acme.helpdesk.tenancy.Tenant;

/**
 * The principal of a STOMP session: the tenant its API key resolved to. Its name,
 * {@code <merchantId>:<agentId>} (or {@code <merchantId>:admin}), addresses user destinations and is
 * sent back in the {@code CONNECTED} frame's {@code user-name} header, so a client learns its merchant id.
 */
record LiveUser(Tenant tenant) implements Principal {

	static String name(UUID merchantId, UUID agentId) {
		return merchantId + ":" + (agentId == null ? "admin" : agentId.toString());
	}

	@Override
	public String getName() {
		return name(tenant.merchantId(), tenant.agentId());
	}
}
