CREATE TABLE "parley_agent_api_key" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"permissions" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parley_agent_workflow" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"workflow_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tool_name" text,
	"input_schema" jsonb NOT NULL,
	"triggers" text[] DEFAULT '{}'::text[] NOT NULL,
	"timeout_ms" integer DEFAULT 30000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_agent_workflow_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_session_workflow" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"agent_workflow_id" text,
	"workflow_id" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"input" jsonb NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"execution_id" text,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parley_agent_api_key" ADD CONSTRAINT "parley_agent_api_key_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_api_key" ADD CONSTRAINT "parley_agent_api_key_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_api_key" ADD CONSTRAINT "parley_agent_api_key_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_workflow" ADD CONSTRAINT "parley_agent_workflow_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_workflow" ADD CONSTRAINT "parley_agent_workflow_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session_workflow" ADD CONSTRAINT "parley_session_workflow_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session_workflow" ADD CONSTRAINT "parley_session_workflow_session_fk" FOREIGN KEY ("workspace_id","session_id") REFERENCES "public"."parley_session"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session_workflow" ADD CONSTRAINT "parley_session_workflow_agent_workflow_fk" FOREIGN KEY ("agent_workflow_id") REFERENCES "public"."parley_agent_workflow"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parley_agent_api_key_key_hash_idx" ON "parley_agent_api_key" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "parley_agent_api_key_workspace_id_agent_id_idx" ON "parley_agent_api_key" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_agent_workflow_agent_id_tool_name_idx" ON "parley_agent_workflow" USING btree ("agent_id","tool_name") WHERE "parley_agent_workflow"."archived_at" is null and "parley_agent_workflow"."tool_name" is not null;--> statement-breakpoint
CREATE INDEX "parley_agent_workflow_workspace_id_agent_id_idx" ON "parley_agent_workflow" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_session_workflow_session_id_created_at_idx" ON "parley_session_workflow" USING btree ("session_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_session_workflow_agent_workflow_id_idx" ON "parley_session_workflow" USING btree ("agent_workflow_id");