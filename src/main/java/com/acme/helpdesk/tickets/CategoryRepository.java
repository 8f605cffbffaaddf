package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface CategoryRepository extends JpaRepository<Category, UUID> {

	// Lookups on hot paths are written out: Hibernate caches the plan of a query string, while a derived
	// query's criteria is translated anew on every call.
	@Query("select c from Category c where c.id = ?1 and c.merchantId = ?2")
	Optional<Category> findByIdAndMerchantId(UUID id, UUID merchantId);

	Page<Category> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	boolean existsByMerchantIdAndNameIgnoreCase(UUID merchantId, String name);
}
