// Where the website shows a category (API.md §10), for feeds and sitemaps: the one URL rule of
// lib/url-template.ts filled with the category's values. Articles' URLs are written by
// PostgreSQL with the same rule (articles/article-url.ts), as in the public article JSON.
import type { SiteConfig } from '../config.js';
import { fillUrlTemplate } from '../lib/url-template.js';

export function categoryUrl(site: SiteConfig, c: { id: number; slug: string }): string {
  return fillUrlTemplate(site.categoryUrl, { slug: c.slug, id: String(c.id) });
}
