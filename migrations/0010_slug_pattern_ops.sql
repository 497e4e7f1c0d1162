DROP INDEX "article_live_slug_idx";--> statement-breakpoint
DROP INDEX "articles_slug_key";--> statement-breakpoint
CREATE INDEX "article_live_slug_idx" ON "article_live" USING btree ("slug" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "articles_slug_key" ON "articles" USING btree ("slug" text_pattern_ops);