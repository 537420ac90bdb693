CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"thread_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"conversation_id" text,
	"text" text NOT NULL,
	"url" text,
	"author_handle" text,
	"author_name" text,
	"author_followers" integer,
	"author_verified" boolean,
	"metrics" jsonb,
	"language" text,
	"posted_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"slack_ts" text
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"thread_id" uuid,
	"kind" text NOT NULL,
	"channel" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "thread_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"conversation_key" text NOT NULL,
	"department" text NOT NULL,
	"priority" text NOT NULL,
	"routing_rule" text,
	"routing_reason" text NOT NULL,
	"priority_reasons" jsonb NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"owner" text,
	"slack_channel" text,
	"slack_ts" text,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_events" ADD CONSTRAINT "thread_events_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_source_external_uq" ON "complaints" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "complaints_thread_idx" ON "complaints" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("next_attempt_at","id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_thread_idx" ON "outbox" USING btree ("thread_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "thread_events_thread_idx" ON "thread_events" USING btree ("thread_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "threads_conversation_uq" ON "threads" USING btree ("source","conversation_key");--> statement-breakpoint
CREATE INDEX "threads_state_idx" ON "threads" USING btree ("state");