package com.acme.helpdesk.assignment;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface AgentRepository extends JpaRepository<Agent, UUID> {

	Optional<Agent> findByIdAndMerchantId(UUID id, UUID merchantId);

	java.util.List<Agent> findByMerchantIdAndIdIn(UUID merchantId, java.util.Collection<UUID> ids);

	Page<Agent> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	boolean existsByMerchantIdAndEmailIgnoreCase(UUID merchantId, String email);
}
