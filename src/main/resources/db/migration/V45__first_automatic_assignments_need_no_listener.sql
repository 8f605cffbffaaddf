-- assignment.count-manual-assignment now gets no publication for a first automatic assignment (it had nothing to do
-- for one); such publications still incomplete would be resubmitted and skipped by the listener's condition forever.
UPDATE event_publication SET completion_date = now()
WHERE listener_id = 'assignment.count-manual-assignment' AND completion_date IS NULL
  AND serialized_event::jsonb ->> 'strategy' <> 'MANUAL'
  AND serialized_event::jsonb ->> 'previousAgentId' IS NULL;
