CREATE TABLE "claim_offers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"department" text NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	"nudge" jsonb NOT NULL,
	"posted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claim_offers" ADD CONSTRAINT "claim_offers_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_offers_thread_idx" ON "claim_offers" USING btree ("thread_id");