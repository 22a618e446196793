-- Undoes 0008: the agent_knowledge_base link (its triggers go with the table), then the retriever columns.
DROP TABLE "parley_agent_knowledge_base";
--> statement-breakpoint
ALTER TABLE "parley_journey_state" DROP COLUMN "retriever_ids";
--> statement-breakpoint
ALTER TABLE "parley_guideline" DROP COLUMN "retriever_ids";
--> statement-breakpoint
ALTER TABLE "parley_agent" DROP COLUMN "retriever_ids";
