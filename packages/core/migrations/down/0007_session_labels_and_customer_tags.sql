-- Undoes 0007: parley_append_events as 0005 defined it, then the new columns and index.
CREATE OR REPLACE FUNCTION parley_append_events(p_requests jsonb, p_created_at timestamptz)
RETURNS TABLE(request integer, event_id text, event_offset integer)
LANGUAGE plpgsql AS $$
DECLARE
  pending record;
  first_offset integer;
BEGIN
  FOR pending IN
    SELECT (r.ordinality - 1)::integer AS position,
           r.value ->> 'workspaceId' AS workspace_id,
           r.value ->> 'sessionId' AS session_id,
           r.value -> 'events' AS events,
           r.value -> 'turnState' AS turn_state,
           jsonb_array_length(r.value -> 'events') AS event_count
    FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS r(value, ordinality)
    ORDER BY r.value ->> 'sessionId', r.ordinality
  LOOP
    UPDATE parley_session AS s
       SET next_event_offset = s.next_event_offset + pending.event_count,
           turn_state = COALESCE(pending.turn_state, s.turn_state),
           updated_at = p_created_at
     WHERE s.workspace_id = pending.workspace_id
       AND s.id = pending.session_id
       AND s.archived_at IS NULL
    RETURNING s.next_event_offset - pending.event_count INTO first_offset;
    CONTINUE WHEN NOT FOUND;
    RETURN QUERY
      INSERT INTO parley_event AS e
        (id, workspace_id, session_id, "offset", kind, source, trace_id, data, created_at)
      SELECT a.value ->> 'id', pending.workspace_id, pending.session_id,
             first_offset + (a.ordinality - 1)::integer,
             a.value ->> 'kind', a.value ->> 'source', a.value ->> 'traceId', a.value -> 'data',
             p_created_at
      FROM jsonb_array_elements(pending.events) WITH ORDINALITY AS a(value, ordinality)
      RETURNING pending.position, e.id, e."offset";
  END LOOP;
END;
$$;
--> statement-breakpoint
DROP INDEX "parley_session_labels_idx";
--> statement-breakpoint
ALTER TABLE "parley_session" DROP COLUMN "labels";
--> statement-breakpoint
ALTER TABLE "parley_journey" DROP COLUMN "customer_tags";
--> statement-breakpoint
ALTER TABLE "parley_journey" DROP COLUMN "labels";
--> statement-breakpoint
ALTER TABLE "parley_guideline" DROP COLUMN "customer_tags";
--> statement-breakpoint
ALTER TABLE "parley_guideline" DROP COLUMN "labels";
