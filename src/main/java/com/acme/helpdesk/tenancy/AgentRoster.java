package com.acme.helpdesk.tenancy;

import java.util.UUID;

/** Whether a merchant has an agent of that id (an agent key acts as one); implemented by the assignment module. */
public interface AgentRoster {

	boolean exists(UUID merchantId, UUID agentId);
}
