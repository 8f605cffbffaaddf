package com.acme.helpdesk.tickets;

import java.util.Collection;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TagRepository extends JpaRepository<Tag, UUID> {

	Page<Tag> findByMerchantIdOrderByName(UUID merchantId, Pageable pageable);

	long countByMerchantIdAndIdIn(UUID merchantId, Collection<UUID> ids);

	java.util.List<Tag> findByMerchantIdAndIdIn(UUID merchantId, Collection<UUID> ids);

	boolean existsByMerchantIdAndNameIgnoreCase(UUID merchantId, String name);
}
