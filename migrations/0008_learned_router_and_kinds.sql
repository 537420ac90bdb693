CREATE TABLE "kind_rollups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"kinds" jsonb NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"examples" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"model" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "routing_model_version" integer;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "kind" text DEFAULT 'complaint' NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "kind_reason" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "slack_surface" text;--> statement-breakpoint
CREATE UNIQUE INDEX "kind_rollups_channel_end_uq" ON "kind_rollups" USING btree ("channel","period_end");--> statement-breakpoint
CREATE INDEX "threads_kind_opened_idx" ON "threads" USING btree ("kind","opened_at");