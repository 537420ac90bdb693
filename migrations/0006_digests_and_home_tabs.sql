CREATE TABLE "digests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"executive" text NOT NULL,
	"reason" text NOT NULL,
	"slot" text,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"departments" jsonb,
	"timezone" text NOT NULL,
	"chart_file_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "home_tabs" (
	"user_id" text PRIMARY KEY NOT NULL,
	"departments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"notice" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "digests_slot_uq" ON "digests" USING btree ("executive","slot");--> statement-breakpoint
CREATE INDEX "digests_executive_idx" ON "digests" USING btree ("executive","id");