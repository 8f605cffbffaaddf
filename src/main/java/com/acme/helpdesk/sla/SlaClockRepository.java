package com.acme.helpdesk.sla;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

import jakarta.persistence.LockModeType;

interface SlaClockRepository extends JpaRepository<SlaClock, UUID> {

	List<SlaClock> findByMerchantIdAndTicketIdOrderByMetric(UUID merchantId, UUID ticketId);

	/** The ticket's clocks, locked: the SLA monitor skips them until the caller commits. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	List<SlaClock> findForUpdateByMerchantIdAndTicketIdOrderByMetric(UUID merchantId, UUID ticketId);
}
