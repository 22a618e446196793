-- Undoes 0009: the workflow runs, the workflow links (their triggers go with the table), the secret keys.
DROP TABLE "parley_session_workflow";
--> statement-breakpoint
DROP TABLE "parley_agent_workflow";
--> statement-breakpoint
DROP TABLE "parley_agent_api_key";
