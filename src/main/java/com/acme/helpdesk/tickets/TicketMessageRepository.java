package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TicketMessageRepository extends JpaRepository<TicketMessage, UUID> {

	Page<TicketMessage> findByTicketIdAndMerchantIdOrderByCreatedAtAscIdAsc(UUID ticketId, UUID merchantId,
			Pageable pageable);

	Optional<TicketMessage> findByIdAndTicketIdAndMerchantId(UUID id, UUID ticketId, UUID merchantId);
}
