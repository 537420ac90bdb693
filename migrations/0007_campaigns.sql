CREATE TABLE "campaign_departments" (
	"campaign_id" uuid NOT NULL,
	"department" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"slack_channel" text,
	"slack_ts" text,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "campaign_departments_campaign_id_department_pk" PRIMARY KEY("campaign_id","department")
);
--> statement-breakpoint
CREATE TABLE "campaign_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"launch_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audience_size" integer,
	"expected_volume" integer,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"talking_points" text,
	"faq_url" text,
	"owner" text NOT NULL,
	"announced_by" text NOT NULL,
	"announced_at" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"slack_channel" text,
	"slack_ts" text,
	"spike_armed" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_campaigns" (
	"complaint_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"thread_id" uuid NOT NULL,
	"department" text NOT NULL,
	"keyword" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "complaint_campaigns_complaint_id_campaign_id_pk" PRIMARY KEY("complaint_id","campaign_id")
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "order_key" text;--> statement-breakpoint
ALTER TABLE "campaign_departments" ADD CONSTRAINT "campaign_departments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_events" ADD CONSTRAINT "campaign_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_campaigns" ADD CONSTRAINT "complaint_campaigns_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_campaigns" ADD CONSTRAINT "complaint_campaigns_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_campaigns" ADD CONSTRAINT "complaint_campaigns_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_events_campaign_idx" ON "campaign_events" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "campaigns_end_idx" ON "campaigns" USING btree ("end_at");--> statement-breakpoint
CREATE INDEX "complaint_campaigns_campaign_idx" ON "complaint_campaigns" USING btree ("campaign_id","linked_at");--> statement-breakpoint
CREATE INDEX "complaint_campaigns_thread_idx" ON "complaint_campaigns" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "outbox_order_idx" ON "outbox" USING btree ("order_key","id");--> statement-breakpoint
-- Hand-written: a campaign's event log is its audit trail, like thread_events.
CREATE OR REPLACE FUNCTION campaign_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'campaign_events is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER campaign_events_no_update_delete
  BEFORE UPDATE OR DELETE ON campaign_events
  FOR EACH ROW EXECUTE FUNCTION campaign_events_append_only();
