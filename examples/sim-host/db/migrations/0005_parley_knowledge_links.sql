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
ALTER TABLE "parley_agent_knowledge_base" ADD CONSTRAINT "parley_agent_knowledge_base_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_knowledge_base" ADD CONSTRAINT "parley_agent_knowledge_base_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_knowledge_base" ADD CONSTRAINT "parley_agent_knowledge_base_knowledge_base_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "public"."knowledge_base"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parley_agent_knowledge_base_knowledge_base_id_idx" ON "parley_agent_knowledge_base" USING btree ("knowledge_base_id");