ALTER TABLE "article_live" ADD COLUMN "seo" jsonb DEFAULT '{"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "seo" jsonb DEFAULT '{"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}'::jsonb NOT NULL;--> statement-breakpoint
-- Revisions saved before SEO settings existed had none: they read back (and restore) as the empty settings.
UPDATE "article_revisions" SET "content" = "content" || '{"seo": {"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}}'::jsonb WHERE "content"->'seo' IS NULL;
