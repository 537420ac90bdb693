CREATE TABLE "kind_rollup_messages" (
	"rollup_id" bigint NOT NULL,
	"page" integer NOT NULL,
	"pages" integer NOT NULL,
	"daily" boolean NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	CONSTRAINT "kind_rollup_messages_rollup_id_page_pk" PRIMARY KEY("rollup_id","page")
);
--> statement-breakpoint
ALTER TABLE "kind_rollup_messages" ADD CONSTRAINT "kind_rollup_messages_rollup_id_kind_rollups_id_fk" FOREIGN KEY ("rollup_id") REFERENCES "public"."kind_rollups"("id") ON DELETE no action ON UPDATE no action;