-- Undoes 0001.
DROP FUNCTION "parley_append_events"(jsonb, timestamptz);
