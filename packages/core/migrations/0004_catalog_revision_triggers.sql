-- Keeps parley_agent.catalog_revision moving whenever anything an agent's turns read
-- changes, whoever writes it: the engine's caches then check one number per turn instead of
-- fingerprinting thousands of rows. Statement-level triggers with transition tables, so a bulk
-- insert of guidelines bumps the revision once, not once per row.
CREATE OR REPLACE FUNCTION parley_bump_catalog_by_agent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE parley_agent AS a SET catalog_revision = a.catalog_revision + 1
  WHERE (a.workspace_id, a.id) IN (SELECT DISTINCT c.workspace_id, c.agent_id FROM changed_rows AS c);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION parley_bump_catalog_by_guideline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE parley_agent AS a SET catalog_revision = a.catalog_revision + 1
  WHERE (a.workspace_id, a.id) IN (
    SELECT DISTINCT g.workspace_id, g.agent_id FROM changed_rows AS c
    JOIN parley_guideline AS g ON g.workspace_id = c.workspace_id AND g.id = c.guideline_id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION parley_bump_catalog_by_journey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE parley_agent AS a SET catalog_revision = a.catalog_revision + 1
  WHERE (a.workspace_id, a.id) IN (
    SELECT DISTINCT j.workspace_id, j.agent_id FROM changed_rows AS c
    JOIN parley_journey AS j ON j.workspace_id = c.workspace_id AND j.id = c.journey_id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION parley_bump_catalog_by_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE parley_agent AS a SET catalog_revision = a.catalog_revision + 1
  WHERE a.workspace_id IN (SELECT DISTINCT c.workspace_id FROM changed_rows AS c);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER parley_guideline_catalog_insert_trigger AFTER INSERT ON parley_guideline REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_catalog_update_trigger AFTER UPDATE ON parley_guideline REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_catalog_delete_trigger AFTER DELETE ON parley_guideline REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_relationship_catalog_insert_trigger AFTER INSERT ON parley_guideline_relationship REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_relationship_catalog_update_trigger AFTER UPDATE ON parley_guideline_relationship REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_relationship_catalog_delete_trigger AFTER DELETE ON parley_guideline_relationship REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_journey_catalog_insert_trigger AFTER INSERT ON parley_journey REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_journey_catalog_update_trigger AFTER UPDATE ON parley_journey REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_journey_catalog_delete_trigger AFTER DELETE ON parley_journey REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_variable_catalog_insert_trigger AFTER INSERT ON parley_variable REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_variable_catalog_update_trigger AFTER UPDATE ON parley_variable REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_variable_catalog_delete_trigger AFTER DELETE ON parley_variable REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_term_catalog_insert_trigger AFTER INSERT ON parley_term REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_term_catalog_update_trigger AFTER UPDATE ON parley_term REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_term_catalog_delete_trigger AFTER DELETE ON parley_term REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_canned_response_catalog_insert_trigger AFTER INSERT ON parley_canned_response REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_canned_response_catalog_update_trigger AFTER UPDATE ON parley_canned_response REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_canned_response_catalog_delete_trigger AFTER DELETE ON parley_canned_response REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_agent_tool_catalog_insert_trigger AFTER INSERT ON parley_agent_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_agent_tool_catalog_update_trigger AFTER UPDATE ON parley_agent_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_agent_tool_catalog_delete_trigger AFTER DELETE ON parley_agent_tool REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_tool_catalog_insert_trigger AFTER INSERT ON parley_guideline_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_guideline();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_tool_catalog_update_trigger AFTER UPDATE ON parley_guideline_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_guideline();
--> statement-breakpoint
CREATE TRIGGER parley_guideline_tool_catalog_delete_trigger AFTER DELETE ON parley_guideline_tool REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_guideline();
--> statement-breakpoint
CREATE TRIGGER parley_journey_state_catalog_insert_trigger AFTER INSERT ON parley_journey_state REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_state_catalog_update_trigger AFTER UPDATE ON parley_journey_state REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_state_catalog_delete_trigger AFTER DELETE ON parley_journey_state REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_transition_catalog_insert_trigger AFTER INSERT ON parley_journey_transition REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_transition_catalog_update_trigger AFTER UPDATE ON parley_journey_transition REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_transition_catalog_delete_trigger AFTER DELETE ON parley_journey_transition REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_guideline_catalog_insert_trigger AFTER INSERT ON parley_journey_guideline REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_guideline_catalog_update_trigger AFTER UPDATE ON parley_journey_guideline REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_journey_guideline_catalog_delete_trigger AFTER DELETE ON parley_journey_guideline REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
CREATE TRIGGER parley_tool_catalog_insert_trigger AFTER INSERT ON parley_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_workspace();
--> statement-breakpoint
CREATE TRIGGER parley_tool_catalog_update_trigger AFTER UPDATE ON parley_tool REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_workspace();
--> statement-breakpoint
CREATE TRIGGER parley_tool_catalog_delete_trigger AFTER DELETE ON parley_tool REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_workspace();
