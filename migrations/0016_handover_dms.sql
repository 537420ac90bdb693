CREATE TABLE "handover_dms" (
	"id" serial PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"slack_channel" text NOT NULL,
	"slack_ts" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "handover_dms" ADD CONSTRAINT "handover_dms_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handover_dms_thread_idx" ON "handover_dms" USING btree ("thread_id");