ALTER TABLE "parley_guideline" ADD COLUMN "labels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_guideline" ADD COLUMN "customer_tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_journey" ADD COLUMN "labels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_journey" ADD COLUMN "customer_tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_session" ADD COLUMN "labels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "parley_session_labels_idx" ON "parley_session" USING gin ("labels");--> statement-breakpoint
-- parley_append_events, now also adding the labels a request carries to its session (the
-- engine writes the labels of what a turn applied with the turn's last events). The session's
-- own labels come first and stay; new ones follow, each once, up to 50 in all. Requests
-- without `addLabels` leave the session's labels as they were.
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
           r.value -> 'addLabels' AS add_labels,
           jsonb_array_length(r.value -> 'events') AS event_count
    FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS r(value, ordinality)
    ORDER BY r.value ->> 'sessionId', r.ordinality
  LOOP
    UPDATE parley_session AS s
       SET next_event_offset = s.next_event_offset + pending.event_count,
           turn_state = COALESCE(pending.turn_state, s.turn_state),
           labels = CASE WHEN pending.add_labels IS NULL THEN s.labels ELSE ARRAY(
             SELECT kept.label FROM (
               SELECT u.label, min(u.ordinality) AS first_seen
               FROM unnest(s.labels || ARRAY(SELECT jsonb_array_elements_text(pending.add_labels)))
                    WITH ORDINALITY AS u(label, ordinality)
               GROUP BY u.label
               ORDER BY first_seen
               LIMIT 50
             ) AS kept
             ORDER BY kept.first_seen) END,
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
