DROP INDEX "article_live_visible_idx";--> statement-breakpoint
CREATE INDEX "article_live_upcoming_idx" ON "article_live" USING btree ("visible_from") WHERE "article_live"."visible_until" IS NULL;