CREATE TABLE "routing_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"examples" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"model" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "routing_model_version" integer;