package com.acme.helpdesk.tickets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface TicketRepository extends JpaRepository<Ticket, UUID>, JpaSpecificationExecutor<Ticket> {

	Optional<Ticket> findByIdAndMerchantId(UUID id, UUID merchantId);

	Optional<Ticket> findByMerchantIdAndIdempotencyKey(UUID merchantId, String idempotencyKey);
}
