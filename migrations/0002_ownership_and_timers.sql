CREATE TABLE "sla_breaches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"clock_kind" text NOT NULL,
	"clock_started_at" timestamp with time zone NOT NULL,
	"department" text NOT NULL,
	"priority" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "thread_timers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"key" text NOT NULL,
	"clock_kind" text NOT NULL,
	"step" text NOT NULL,
	"target" text NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "clocks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "suggested_owner" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "dismiss_reason" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "response_url" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sla_breaches" ADD CONSTRAINT "sla_breaches_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_timers" ADD CONSTRAINT "thread_timers_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_breaches_clock_uq" ON "sla_breaches" USING btree ("thread_id","clock_kind","clock_started_at");--> statement-breakpoint
CREATE INDEX "sla_breaches_department_idx" ON "sla_breaches" USING btree ("department","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "thread_timers_key_uq" ON "thread_timers" USING btree ("thread_id","key");--> statement-breakpoint
CREATE INDEX "thread_timers_due_idx" ON "thread_timers" USING btree ("fire_at") WHERE "thread_timers"."status" = 'pending';