ALTER TABLE "article_live" ADD COLUMN "seo" jsonb DEFAULT '{"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "seo" jsonb DEFAULT '{"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "article_live_og_image_idx" ON "article_live" USING btree ((("seo"->>'ogImageId')::int)) WHERE (("article_live"."seo"->>'ogImageId')::int) IS NOT NULL;--> statement-breakpoint
-- Revisions saved before SEO settings existed had none: they read back (and restore) as the empty settings.
UPDATE "article_revisions" SET "content" = "content" || '{"seo": {"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}}'::jsonb WHERE "content"->'seo' IS NULL;
