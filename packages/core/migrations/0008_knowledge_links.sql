CREATE TABLE "parley_agent_knowledge_base" (
	"workspace_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"knowledge_base_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parley_agent_knowledge_base_pkey" PRIMARY KEY("agent_id","knowledge_base_id")
);
--> statement-breakpoint
ALTER TABLE "parley_agent" ADD COLUMN "retriever_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_guideline" ADD COLUMN "retriever_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_journey_state" ADD COLUMN "retriever_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "parley_agent_knowledge_base" ADD CONSTRAINT "parley_agent_knowledge_base_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parley_agent_knowledge_base_knowledge_base_id_idx" ON "parley_agent_knowledge_base" USING btree ("knowledge_base_id");--> statement-breakpoint
CREATE TRIGGER parley_agent_knowledge_base_catalog_insert_trigger AFTER INSERT ON parley_agent_knowledge_base REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_agent_knowledge_base_catalog_update_trigger AFTER UPDATE ON parley_agent_knowledge_base REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
--> statement-breakpoint
CREATE TRIGGER parley_agent_knowledge_base_catalog_delete_trigger AFTER DELETE ON parley_agent_knowledge_base REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_catalog_by_agent();
