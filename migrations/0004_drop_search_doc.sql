DROP INDEX "article_live_search_doc_idx";--> statement-breakpoint
DROP INDEX "articles_search_doc_idx";--> statement-breakpoint
CREATE INDEX "article_live_title_folded_idx" ON "article_live" USING gin (lower(public.f_unaccent("title")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "article_live_visible_from_idx" ON "article_live" USING btree ("visible_from");--> statement-breakpoint
ALTER TABLE "article_live" DROP COLUMN "search_doc";--> statement-breakpoint
ALTER TABLE "articles" DROP COLUMN "search_doc";