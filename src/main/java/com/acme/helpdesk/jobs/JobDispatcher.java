package com.acme.helpdesk.jobs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Publishes jobs onto their queues. Inside a transaction that is still open, the jobs are part of it: they exist once
 * it commits, start only then, and are gone if it rolls back (a listener's jobs and its other work are one). Outside
 * one, or from a transaction's after-commit callbacks, they are committed on their own before the call returns.
 * Publishing an id that already exists (whatever the job's state) is skipped and answers the same id, so a listener
 * that runs again publishes nothing twice.
 *
 * <pre>{@code
 * @ApplicationModuleListener(id = "assignment.assign-new-ticket")
 * void on(TicketCreated event) {
 *     dispatcher.publish(AssignmentJob.assign(event.merchantId(), event.ticketId())
 *         .derivedFrom("assignment.assign-new-ticket", event.ticketId()));
 * }
 * }</pre>
 */
public interface JobDispatcher {

	/** Publishes one job; answers its id. */
	UUID publish(Dispatch<?> dispatch);

	/** Publishes many jobs in one database round trip (ids that exist are skipped); answers their ids in order. */
	List<UUID> publishAll(Collection<? extends Dispatch<?>> dispatches);
}
