package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface CategoryRepository extends JpaRepository<Category, UUID> {

	Optional<Category> findByIdAndMerchantId(UUID id, UUID merchantId);

	Page<Category> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	boolean existsByMerchantIdAndNameIgnoreCase(UUID merchantId, String name);
}
