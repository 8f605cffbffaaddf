package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AgentRepository extends JpaRepository<Agent, UUID> {

	// Lookups on hot paths are written out: Hibernate caches the plan of a query string, while a derived
	// query's criteria is translated anew on every call.
	@Query("select a from Agent a where a.id = ?1 and a.merchantId = ?2")
	Optional<Agent> findByIdAndMerchantId(UUID id, UUID merchantId);

	Page<Agent> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	boolean existsByMerchantIdAndEmailIgnoreCase(UUID merchantId, String email);
}
