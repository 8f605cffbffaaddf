/**
 * Shared kernel: the job queues on JobRunr. What other modules use:
 * <ul>
 * <li>{@link com.acme.helpdesk.jobs.JobDispatcher}: {@code publish(dispatch)}, {@code publishAll(dispatches)} (one
 * round trip), part of the caller's transaction when one is open (see its documentation).</li>
 * <li>typed builders returning a {@link com.acme.helpdesk.jobs.Dispatch}: {@code AssignmentJob.assign},
 * {@code ContextEnrichmentJob.enrich}, {@code NotificationJob.deliver|batch|digest}, {@code EscalationJob.process|batch},
 * {@code SurveyTriggerJob.trigger|triggerAfter}; {@code .derivedFrom(listenerId, eventIdentity...)} gives a job derived
 * from an event its deterministic id, so a replayed event makes no second job.</li>
 * <li>{@link com.acme.helpdesk.jobs.JobWorker}: the job body, a bean of the owning module, one per job type;
 * {@link com.acme.helpdesk.jobs.JobIdempotency} records the job's idempotency key with its side effect;
 * {@link com.acme.helpdesk.jobs.InvalidJobArgumentsException} for arguments that can never work.</li>
 * <li>{@link com.acme.helpdesk.jobs.SlaSweep}: the SLA monitor's sweep (implemented by {@code sla}).</li>
 * <li>{@link com.acme.helpdesk.jobs.JobQueue}, {@link com.acme.helpdesk.jobs.JobQueues}: the queues and their effective
 * settings; {@link com.acme.helpdesk.jobs.RunMode}.</li>
 * </ul>
 * See {@code docs/queues.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Job queues")
package com.acme.helpdesk.jobs;
