DROP INDEX "article_live_visible_from_idx";--> statement-breakpoint
DROP INDEX "articles_category_id_idx";--> statement-breakpoint
CREATE INDEX "article_live_visible_idx" ON "article_live" USING btree ("visible_from","visible_until");--> statement-breakpoint
CREATE INDEX "article_live_category_visible_idx" ON "article_live" USING btree ("category_id","visible_from","visible_until");--> statement-breakpoint
CREATE INDEX "articles_category_id_idx" ON "articles" USING btree ("category_id","status","id");