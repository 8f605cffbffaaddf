-- The job record EscalationJob.Process (it hid java.lang.Process) is EscalationJob.Level (issue 17). JobRunr names the
-- record's class in a job's JSON (actualClassName) and in its signature: stored escalation jobs (scheduled, enqueued,
-- failed, dead letters to requeue, succeeded ones the dashboard shows) take the new name, or they could not be read.
-- A process of the previous build still running after this migration writes the old name again: stop those before
-- starting this build, or run this statement again once they are stopped (docs/operations.md).
UPDATE jobrunr_jobs
SET jobAsJson = replace(jobAsJson, 'com.acme.helpdesk.sla.EscalationJob$Process', 'com.acme.helpdesk.sla.EscalationJob$Level'),
    jobSignature = replace(jobSignature, 'com.acme.helpdesk.sla.EscalationJob$Process', 'com.acme.helpdesk.sla.EscalationJob$Level')
WHERE split_part(jobSignature, '(', 1) = 'com.acme.helpdesk.jobs.internal.QueueHandler$Escalation.run'
  AND jobSignature LIKE '%EscalationJob$Process%';
