-- Undoes 0000: every table, with its indexes and constraints (one statement, so the order
-- of their foreign keys does not matter).
DROP TABLE
  "parley_agent",
  "parley_agent_key",
  "parley_agent_tool",
  "parley_canned_response",
  "parley_customer",
  "parley_event",
  "parley_guideline",
  "parley_guideline_relationship",
  "parley_guideline_tool",
  "parley_journey",
  "parley_journey_guideline",
  "parley_journey_state",
  "parley_journey_transition",
  "parley_session",
  "parley_term",
  "parley_tool",
  "parley_variable",
  "parley_variable_value";
