package com.acme.helpdesk.tickets;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TagRepository extends JpaRepository<Tag, UUID> {

	Page<Tag> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	boolean existsByMerchantIdAndNameIgnoreCase(UUID merchantId, String name);
}
