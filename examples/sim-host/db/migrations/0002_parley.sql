CREATE TABLE "parley_agent" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"composition_mode" text DEFAULT 'fluid' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"catalog_revision" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_agent_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_agent_key" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parley_agent_tool" (
	"workspace_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parley_agent_tool_pkey" PRIMARY KEY("agent_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "parley_canned_response" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"template" text NOT NULL,
	"fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parley_customer" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"external_id" text,
	"user_id" text,
	"name" text,
	"email" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_customer_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_event" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"offset" integer NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"trace_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parley_guideline" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"key" text,
	"condition" text NOT NULL,
	"action" text,
	"criticality" text DEFAULT 'medium' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"examples" text[] DEFAULT '{}'::text[] NOT NULL,
	"composition_mode" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_guideline_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_guideline_relationship" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"kind" text NOT NULL,
	"source_guideline_id" text NOT NULL,
	"target_guideline_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parley_guideline_tool" (
	"workspace_id" text NOT NULL,
	"guideline_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parley_guideline_tool_pkey" PRIMARY KEY("guideline_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "parley_journey" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"key" text,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"conditions" text[] DEFAULT '{}'::text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"initial_state_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_journey_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_journey_guideline" (
	"workspace_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"guideline_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parley_journey_guideline_pkey" PRIMARY KEY("journey_id","guideline_id")
);
--> statement-breakpoint
CREATE TABLE "parley_journey_state" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"journey_id" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"action" text,
	"tool_id" text,
	"description" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parley_journey_state_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_journey_transition" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"journey_id" text NOT NULL,
	"from_state_id" text NOT NULL,
	"to_state_id" text NOT NULL,
	"condition" text,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parley_session" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"customer_id" text,
	"mode" text DEFAULT 'auto' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"title" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"next_event_offset" integer DEFAULT 0 NOT NULL,
	"turn_state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_session_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_term" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parley_tool" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_tool_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_variable" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tool_id" text,
	"freshness" jsonb,
	"default_value" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "parley_variable_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "parley_variable_value" (
	"workspace_id" text NOT NULL,
	"id" text PRIMARY KEY NOT NULL,
	"variable_id" text NOT NULL,
	"scope" text NOT NULL,
	"scope_key" text NOT NULL,
	"session_id" text,
	"customer_id" text,
	"value" jsonb NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspace" ADD COLUMN "parley_agent_key" text;--> statement-breakpoint
ALTER TABLE "parley_agent" ADD CONSTRAINT "parley_agent_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent" ADD CONSTRAINT "parley_agent_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_key" ADD CONSTRAINT "parley_agent_key_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_key" ADD CONSTRAINT "parley_agent_key_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_tool" ADD CONSTRAINT "parley_agent_tool_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_tool" ADD CONSTRAINT "parley_agent_tool_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_agent_tool" ADD CONSTRAINT "parley_agent_tool_tool_fk" FOREIGN KEY ("workspace_id","tool_id") REFERENCES "public"."parley_tool"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_canned_response" ADD CONSTRAINT "parley_canned_response_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_canned_response" ADD CONSTRAINT "parley_canned_response_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_customer" ADD CONSTRAINT "parley_customer_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_customer" ADD CONSTRAINT "parley_customer_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_event" ADD CONSTRAINT "parley_event_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_event" ADD CONSTRAINT "parley_event_session_fk" FOREIGN KEY ("workspace_id","session_id") REFERENCES "public"."parley_session"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline" ADD CONSTRAINT "parley_guideline_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline" ADD CONSTRAINT "parley_guideline_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_relationship" ADD CONSTRAINT "parley_guideline_relationship_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_relationship" ADD CONSTRAINT "parley_guideline_relationship_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_relationship" ADD CONSTRAINT "parley_guideline_relationship_source_fk" FOREIGN KEY ("workspace_id","source_guideline_id") REFERENCES "public"."parley_guideline"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_relationship" ADD CONSTRAINT "parley_guideline_relationship_target_fk" FOREIGN KEY ("workspace_id","target_guideline_id") REFERENCES "public"."parley_guideline"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_tool" ADD CONSTRAINT "parley_guideline_tool_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_tool" ADD CONSTRAINT "parley_guideline_tool_guideline_fk" FOREIGN KEY ("workspace_id","guideline_id") REFERENCES "public"."parley_guideline"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_guideline_tool" ADD CONSTRAINT "parley_guideline_tool_tool_fk" FOREIGN KEY ("workspace_id","tool_id") REFERENCES "public"."parley_tool"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey" ADD CONSTRAINT "parley_journey_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey" ADD CONSTRAINT "parley_journey_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_guideline" ADD CONSTRAINT "parley_journey_guideline_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_guideline" ADD CONSTRAINT "parley_journey_guideline_journey_fk" FOREIGN KEY ("workspace_id","journey_id") REFERENCES "public"."parley_journey"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_guideline" ADD CONSTRAINT "parley_journey_guideline_guideline_fk" FOREIGN KEY ("workspace_id","guideline_id") REFERENCES "public"."parley_guideline"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_state" ADD CONSTRAINT "parley_journey_state_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_state" ADD CONSTRAINT "parley_journey_state_journey_fk" FOREIGN KEY ("workspace_id","journey_id") REFERENCES "public"."parley_journey"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_state" ADD CONSTRAINT "parley_journey_state_tool_fk" FOREIGN KEY ("workspace_id","tool_id") REFERENCES "public"."parley_tool"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_transition" ADD CONSTRAINT "parley_journey_transition_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_transition" ADD CONSTRAINT "parley_journey_transition_journey_fk" FOREIGN KEY ("workspace_id","journey_id") REFERENCES "public"."parley_journey"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_transition" ADD CONSTRAINT "parley_journey_transition_from_state_fk" FOREIGN KEY ("workspace_id","from_state_id") REFERENCES "public"."parley_journey_state"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_journey_transition" ADD CONSTRAINT "parley_journey_transition_to_state_fk" FOREIGN KEY ("workspace_id","to_state_id") REFERENCES "public"."parley_journey_state"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session" ADD CONSTRAINT "parley_session_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session" ADD CONSTRAINT "parley_session_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_session" ADD CONSTRAINT "parley_session_customer_fk" FOREIGN KEY ("workspace_id","customer_id") REFERENCES "public"."parley_customer"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_term" ADD CONSTRAINT "parley_term_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_term" ADD CONSTRAINT "parley_term_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_tool" ADD CONSTRAINT "parley_tool_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable" ADD CONSTRAINT "parley_variable_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable" ADD CONSTRAINT "parley_variable_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."parley_agent"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable" ADD CONSTRAINT "parley_variable_tool_fk" FOREIGN KEY ("workspace_id","tool_id") REFERENCES "public"."parley_tool"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable_value" ADD CONSTRAINT "parley_variable_value_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable_value" ADD CONSTRAINT "parley_variable_value_variable_fk" FOREIGN KEY ("workspace_id","variable_id") REFERENCES "public"."parley_variable"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable_value" ADD CONSTRAINT "parley_variable_value_session_fk" FOREIGN KEY ("workspace_id","session_id") REFERENCES "public"."parley_session"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parley_variable_value" ADD CONSTRAINT "parley_variable_value_customer_fk" FOREIGN KEY ("workspace_id","customer_id") REFERENCES "public"."parley_customer"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parley_agent_workspace_id_name_idx" ON "parley_agent" USING btree ("workspace_id","name") WHERE "parley_agent"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_agent_workspace_id_created_at_idx" ON "parley_agent" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_agent_key_key_hash_idx" ON "parley_agent_key" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "parley_agent_key_workspace_id_agent_id_idx" ON "parley_agent_key" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_agent_tool_tool_id_idx" ON "parley_agent_tool" USING btree ("tool_id");--> statement-breakpoint
CREATE INDEX "parley_canned_response_workspace_id_agent_id_idx" ON "parley_canned_response" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_customer_workspace_id_external_id_idx" ON "parley_customer" USING btree ("workspace_id","external_id") WHERE "parley_customer"."external_id" is not null and "parley_customer"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_customer_workspace_id_created_at_idx" ON "parley_customer" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_event_session_id_offset_idx" ON "parley_event" USING btree ("session_id","offset");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_event_session_id_client_message_id_idx" ON "parley_event" USING btree ("session_id",("data" ->> 'clientMessageId')) WHERE "parley_event"."kind" = 'message' and ("parley_event"."data" ->> 'clientMessageId') is not null;--> statement-breakpoint
CREATE INDEX "parley_event_message_text_idx" ON "parley_event" USING gin (to_tsvector('simple', "data" ->> 'text')) WHERE "parley_event"."kind" = 'message';--> statement-breakpoint
CREATE INDEX "parley_event_workspace_id_created_at_idx" ON "parley_event" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_guideline_agent_id_key_idx" ON "parley_guideline" USING btree ("agent_id","key") WHERE "parley_guideline"."key" is not null and "parley_guideline"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_guideline_workspace_id_agent_id_idx" ON "parley_guideline" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_guideline_relationship_source_target_kind_idx" ON "parley_guideline_relationship" USING btree ("source_guideline_id","target_guideline_id","kind") WHERE "parley_guideline_relationship"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_guideline_relationship_workspace_id_agent_id_idx" ON "parley_guideline_relationship" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_guideline_relationship_target_guideline_id_idx" ON "parley_guideline_relationship" USING btree ("target_guideline_id");--> statement-breakpoint
CREATE INDEX "parley_guideline_tool_tool_id_idx" ON "parley_guideline_tool" USING btree ("tool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_journey_agent_id_key_idx" ON "parley_journey" USING btree ("agent_id","key") WHERE "parley_journey"."key" is not null and "parley_journey"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_journey_workspace_id_agent_id_idx" ON "parley_journey" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_journey_guideline_guideline_id_idx" ON "parley_journey_guideline" USING btree ("guideline_id");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_journey_state_journey_id_key_idx" ON "parley_journey_state" USING btree ("journey_id","key");--> statement-breakpoint
CREATE INDEX "parley_journey_state_tool_id_idx" ON "parley_journey_state" USING btree ("tool_id");--> statement-breakpoint
CREATE INDEX "parley_journey_transition_journey_id_idx" ON "parley_journey_transition" USING btree ("journey_id");--> statement-breakpoint
CREATE INDEX "parley_journey_transition_from_state_id_idx" ON "parley_journey_transition" USING btree ("from_state_id");--> statement-breakpoint
CREATE INDEX "parley_journey_transition_to_state_id_idx" ON "parley_journey_transition" USING btree ("to_state_id");--> statement-breakpoint
CREATE INDEX "parley_session_workspace_id_created_at_idx" ON "parley_session" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_session_workspace_id_agent_id_idx" ON "parley_session" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_session_workspace_id_customer_id_idx" ON "parley_session" USING btree ("workspace_id","customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_term_agent_id_name_idx" ON "parley_term" USING btree ("agent_id",lower("name")) WHERE "parley_term"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_term_workspace_id_agent_id_idx" ON "parley_term" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_tool_workspace_id_name_idx" ON "parley_tool" USING btree ("workspace_id","name") WHERE "parley_tool"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_tool_workspace_id_created_at_idx" ON "parley_tool" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_variable_agent_id_name_idx" ON "parley_variable" USING btree ("agent_id","name") WHERE "parley_variable"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "parley_variable_workspace_id_agent_id_idx" ON "parley_variable" USING btree ("workspace_id","agent_id","created_at");--> statement-breakpoint
CREATE INDEX "parley_variable_tool_id_idx" ON "parley_variable" USING btree ("tool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "parley_variable_value_variable_id_scope_scope_key_idx" ON "parley_variable_value" USING btree ("variable_id","scope","scope_key");--> statement-breakpoint
CREATE INDEX "parley_variable_value_session_id_idx" ON "parley_variable_value" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "parley_variable_value_customer_id_idx" ON "parley_variable_value" USING btree ("customer_id");