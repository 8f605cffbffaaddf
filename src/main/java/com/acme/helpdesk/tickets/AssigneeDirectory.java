package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

/** Finds a merchant's agents for manual assignment; implemented by the assignment module. */
public interface AssigneeDirectory {

	Optional<Assignee> find(UUID merchantId, UUID agentId);
}
