-- thread_timers becomes timers: a due time for any subject (threads today; campaigns and
-- digests next), swept by the same SKIP LOCKED job. Existing rows keep their ids and state.
ALTER TABLE "thread_timers" RENAME TO "timers";--> statement-breakpoint
ALTER SEQUENCE "thread_timers_id_seq" RENAME TO "timers_id_seq";--> statement-breakpoint
ALTER TABLE "timers" RENAME CONSTRAINT "thread_timers_pkey" TO "timers_pkey";--> statement-breakpoint
ALTER TABLE "timers" DROP CONSTRAINT "thread_timers_thread_id_threads_id_fk";--> statement-breakpoint
DROP INDEX "thread_timers_key_uq";--> statement-breakpoint
ALTER INDEX "thread_timers_due_idx" RENAME TO "timers_due_idx";--> statement-breakpoint
ALTER TABLE "timers" RENAME COLUMN "thread_id" TO "subject_id";--> statement-breakpoint
ALTER TABLE "timers" ALTER COLUMN "subject_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "timers" ADD COLUMN "subject_type" text DEFAULT 'thread' NOT NULL;--> statement-breakpoint
ALTER TABLE "timers" ALTER COLUMN "subject_type" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "timers" ALTER COLUMN "clock_kind" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timers" ADD COLUMN "payload" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "timers_subject_key_uq" ON "timers" USING btree ("subject_type","subject_id","key");
