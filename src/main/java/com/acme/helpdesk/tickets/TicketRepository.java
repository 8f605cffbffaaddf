package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

interface TicketRepository extends JpaRepository<Ticket, UUID>, JpaSpecificationExecutor<Ticket> {

	// Lookups on hot paths are written out: Hibernate caches the plan of a query string, while a derived
	// query's criteria is translated anew on every call.
	@Query("select t from Ticket t where t.id = ?1 and t.merchantId = ?2")
	Optional<Ticket> findByIdAndMerchantId(UUID id, UUID merchantId);

	/** The ticket under a row lock: changes by requests and jobs queue up instead of failing their version check. */
	@org.springframework.data.jpa.repository.Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from Ticket t where t.id = ?1 and t.merchantId = ?2")
	Optional<Ticket> lockByIdAndMerchantId(UUID id, UUID merchantId);

	@Query("select t from Ticket t where t.merchantId = ?1 and t.idempotencyKey = ?2")
	Optional<Ticket> findByMerchantIdAndIdempotencyKey(UUID merchantId, String idempotencyKey);

	@Query("""
			select t.id from Ticket t where t.merchantId = ?1 and t.assigneeId = ?2 and t.status = ?3
			order by t.createdAt""")
	java.util.List<UUID> findIdsByMerchantIdAndAssigneeIdAndStatusOrderByCreatedAt(UUID merchantId, UUID agentId,
			TicketStatus status);
}
