-- Listener ids in one style, <module>.<what it does> (issue 17). Spring Modulith finds a publication's listener by
-- its id: incomplete publications under an old id would never be delivered again, so they move to the new id; so do
-- the idempotency records of the listeners that keep them (processed_event, sla_processed_event), so a publication
-- delivered before the rename and delivered again after it still changes nothing. Publications written by a process
-- of the previous version still running after this migration carry the old ids: stop those before starting this
-- version, or run these statements again once they are gone (docs/operations.md).

UPDATE event_publication SET listener_id = 'assignment.rebalance-changed-agent' WHERE listener_id = 'assignment.on-agent-changed' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-assignee' WHERE listener_id = 'notifications.on-ticket-assigned' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-reply' WHERE listener_id = 'notifications.on-message-created' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-status-change' WHERE listener_id = 'notifications.on-status-changed' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.send-survey-link' WHERE listener_id = 'notifications.on-survey-requested' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-sla-warning' WHERE listener_id = 'notifications.on-sla-warning' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-sla-breach' WHERE listener_id = 'notifications.on-sla-breached' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'notifications.notify-escalation' WHERE listener_id = 'notifications.on-ticket-escalated' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'sla.apply-status-to-clocks' WHERE listener_id = 'sla.on-status-changed' AND completion_date IS NULL;
UPDATE event_publication SET listener_id = 'sla.stop-first-response-clock' WHERE listener_id = 'sla.on-first-response' AND completion_date IS NULL;

UPDATE processed_event SET listener_id = 'assignment.rebalance-changed-agent' WHERE listener_id = 'assignment.on-agent-changed';
UPDATE sla_processed_event SET listener_id = 'sla.apply-status-to-clocks' WHERE listener_id = 'sla.on-status-changed';
