package com.acme.helpdesk.jobs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Publishes jobs onto their queues. Publishing is not part of the caller's transaction (JobRunr writes with its own
 * connection): publish from after-commit listeners ({@code @ApplicationModuleListener}), never inside the business
 * transaction. Publishing an id that already exists (whatever the job's state) is skipped and answers the same id.
 *
 * <pre>{@code
 * @ApplicationModuleListener(id = "tickets.on-ticket-created")
 * void on(TicketCreated event) {
 *     dispatcher.publish(AssignmentJob.assign(event.merchantId(), event.ticketId())
 *         .derivedFrom("tickets.on-ticket-created", event.ticketId()));
 * }
 * }</pre>
 */
public interface JobDispatcher {

	/** Publishes one job; answers its id. */
	UUID publish(Dispatch<?> dispatch);

	/** Publishes many jobs in one database round trip (ids that exist are skipped); answers their ids in order. */
	List<UUID> publishAll(Collection<? extends Dispatch<?>> dispatches);
}
