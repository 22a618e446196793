-- Undoes 0004: the catalog-revision triggers, then the functions they execute.
DROP TRIGGER parley_guideline_catalog_insert_trigger ON parley_guideline;
--> statement-breakpoint
DROP TRIGGER parley_guideline_catalog_update_trigger ON parley_guideline;
--> statement-breakpoint
DROP TRIGGER parley_guideline_catalog_delete_trigger ON parley_guideline;
--> statement-breakpoint
DROP TRIGGER parley_guideline_relationship_catalog_insert_trigger ON parley_guideline_relationship;
--> statement-breakpoint
DROP TRIGGER parley_guideline_relationship_catalog_update_trigger ON parley_guideline_relationship;
--> statement-breakpoint
DROP TRIGGER parley_guideline_relationship_catalog_delete_trigger ON parley_guideline_relationship;
--> statement-breakpoint
DROP TRIGGER parley_journey_catalog_insert_trigger ON parley_journey;
--> statement-breakpoint
DROP TRIGGER parley_journey_catalog_update_trigger ON parley_journey;
--> statement-breakpoint
DROP TRIGGER parley_journey_catalog_delete_trigger ON parley_journey;
--> statement-breakpoint
DROP TRIGGER parley_variable_catalog_insert_trigger ON parley_variable;
--> statement-breakpoint
DROP TRIGGER parley_variable_catalog_update_trigger ON parley_variable;
--> statement-breakpoint
DROP TRIGGER parley_variable_catalog_delete_trigger ON parley_variable;
--> statement-breakpoint
DROP TRIGGER parley_term_catalog_insert_trigger ON parley_term;
--> statement-breakpoint
DROP TRIGGER parley_term_catalog_update_trigger ON parley_term;
--> statement-breakpoint
DROP TRIGGER parley_term_catalog_delete_trigger ON parley_term;
--> statement-breakpoint
DROP TRIGGER parley_canned_response_catalog_insert_trigger ON parley_canned_response;
--> statement-breakpoint
DROP TRIGGER parley_canned_response_catalog_update_trigger ON parley_canned_response;
--> statement-breakpoint
DROP TRIGGER parley_canned_response_catalog_delete_trigger ON parley_canned_response;
--> statement-breakpoint
DROP TRIGGER parley_agent_tool_catalog_insert_trigger ON parley_agent_tool;
--> statement-breakpoint
DROP TRIGGER parley_agent_tool_catalog_update_trigger ON parley_agent_tool;
--> statement-breakpoint
DROP TRIGGER parley_agent_tool_catalog_delete_trigger ON parley_agent_tool;
--> statement-breakpoint
DROP TRIGGER parley_guideline_tool_catalog_insert_trigger ON parley_guideline_tool;
--> statement-breakpoint
DROP TRIGGER parley_guideline_tool_catalog_update_trigger ON parley_guideline_tool;
--> statement-breakpoint
DROP TRIGGER parley_guideline_tool_catalog_delete_trigger ON parley_guideline_tool;
--> statement-breakpoint
DROP TRIGGER parley_journey_state_catalog_insert_trigger ON parley_journey_state;
--> statement-breakpoint
DROP TRIGGER parley_journey_state_catalog_update_trigger ON parley_journey_state;
--> statement-breakpoint
DROP TRIGGER parley_journey_state_catalog_delete_trigger ON parley_journey_state;
--> statement-breakpoint
DROP TRIGGER parley_journey_transition_catalog_insert_trigger ON parley_journey_transition;
--> statement-breakpoint
DROP TRIGGER parley_journey_transition_catalog_update_trigger ON parley_journey_transition;
--> statement-breakpoint
DROP TRIGGER parley_journey_transition_catalog_delete_trigger ON parley_journey_transition;
--> statement-breakpoint
DROP TRIGGER parley_journey_guideline_catalog_insert_trigger ON parley_journey_guideline;
--> statement-breakpoint
DROP TRIGGER parley_journey_guideline_catalog_update_trigger ON parley_journey_guideline;
--> statement-breakpoint
DROP TRIGGER parley_journey_guideline_catalog_delete_trigger ON parley_journey_guideline;
--> statement-breakpoint
DROP TRIGGER parley_tool_catalog_insert_trigger ON parley_tool;
--> statement-breakpoint
DROP TRIGGER parley_tool_catalog_update_trigger ON parley_tool;
--> statement-breakpoint
DROP TRIGGER parley_tool_catalog_delete_trigger ON parley_tool;
--> statement-breakpoint
DROP FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
DROP FUNCTION parley_bump_catalog_by_guideline();
--> statement-breakpoint
DROP FUNCTION parley_bump_catalog_by_journey();
--> statement-breakpoint
DROP FUNCTION parley_bump_catalog_by_workspace();
