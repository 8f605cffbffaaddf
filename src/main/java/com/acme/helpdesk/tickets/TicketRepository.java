package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface TicketRepository extends JpaRepository<Ticket, UUID>, JpaSpecificationExecutor<Ticket> {

	Optional<Ticket> findByIdAndMerchantId(UUID id, UUID merchantId);

	Optional<Ticket> findByMerchantIdAndIdempotencyKey(UUID merchantId, String idempotencyKey);

	@org.springframework.data.jpa.repository.Query("""
			select t.id from Ticket t where t.merchantId = ?1 and t.assigneeId = ?2 and t.status = ?3
			order by t.createdAt""")
	java.util.List<UUID> findIdsByMerchantIdAndAssigneeIdAndStatusOrderByCreatedAt(UUID merchantId, UUID agentId,
			TicketStatus status);
}
