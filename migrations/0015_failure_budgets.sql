CREATE TABLE "failure_budgets" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"max_failures" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "failure_budgets_reset_at_idx" ON "failure_budgets" USING btree ("reset_at");--> statement-breakpoint
CREATE INDEX "preview_links_created_by_idx" ON "preview_links" USING btree ("created_by");