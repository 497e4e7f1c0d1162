// The sitemaps of API.md §10. The index, news.xml (at most 1,000 URLs) are made whole; the
// monthly article files and categories.xml are streamed: each is an async iterable of text that
// reads the next batch from the database only when the client has taken the previous one
// (Readable.from pulls on demand), so memory stays flat whatever the number of articles.
import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { latestEventAt } from '../feeds/feeds.queries.js';
import { categoryUrl } from '../site-links.js';
import { imageUrlset, newsDocument, sitemapIndexDocument, urlEntry } from './sitemap-xml.js';
import * as q from './sitemaps.queries.js';

export const SITEMAP_PATH = '/api/v1/sitemaps';
/** The sitemaps protocol's limit of URLs per file. */
export const MAX_URLS_PER_FILE = 50_000;
export const NEWS_LIMIT = 1000;
// Rows per statement: ~200 KB of XML, one batch in memory at a time.
const BATCH = 2000;

// Years from 1000: PostgreSQL has no year 0, and no article is older.
const ARTICLE_FILE = /^articles-([1-9]\d{3})-(0[1-9]|1[0-2])(?:-([1-9]\d{0,5}))?\.xml$/;

/** `articles-2026-05.xml` → month 2026-05, part 1; `articles-2026-05-2.xml` → part 2. `-1` is not a name (part 1 has none). */
export function parseArticleFile(name: string): { month: string; part: number } | undefined {
  const m = ARTICLE_FILE.exec(name);
  if (!m || m[3] === '1') return undefined;
  return { month: `${m[1]}-${m[2]}`, part: m[3] ? Number(m[3]) : 1 };
}

export const articleFileName = (month: string, part: number) => `articles-${month}${part > 1 ? `-${part}` : ''}.xml`;

const latest = (...dates: Array<Date | null | undefined>): Date | null =>
  dates.reduce<Date | null>((a, b) => (b instanceof Date && (a === null || b > a) ? b : a), null);

const etagOf = (...parts: unknown[]) => `"sm-${createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}"`;

const perFile = (ctx: AppContext) => Math.min(ctx.config.sitemapUrlsPerFile, MAX_URLS_PER_FILE);

/** The index: every month's files, categories.xml and news.xml. */
export async function sitemapIndex(ctx: AppContext): Promise<{ xml: string; lastModified: Date | null }> {
  const base = `${ctx.config.publicUrl}${SITEMAP_PATH}`;
  const [months, categories, eventAt] = await Promise.all([q.listArticleMonths(ctx.db, ctx.config.site, ctx.now()), q.findCategoriesState(ctx.db), latestEventAt(ctx.db)]);
  const n = perFile(ctx);
  const files = months.flatMap((m) => Array.from({ length: Math.ceil(m.count / n) }, (_, i) => ({ loc: `${base}/${articleFileName(m.month, i + 1)}`, lastmod: m.lastmod })));
  const w3c = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
  const xml = sitemapIndexDocument([...files, { loc: `${base}/categories.xml`, lastmod: w3c(categories.lastmod) }, { loc: `${base}/news.xml` }]);
  return { xml, lastModified: latest(eventAt, categories.lastmod) };
}

export interface StreamedSitemap {
  etag: string;
  lastModified: Date | null;
  body: () => AsyncIterable<string>;
}

/** One month's file of articles, or undefined when that file does not exist. */
export async function monthSitemap(ctx: AppContext, name: string): Promise<StreamedSitemap | undefined> {
  const file = parseArticleFile(name);
  if (!file) return undefined;
  const { db } = ctx;
  const site = ctx.config.site;
  const now = ctx.now();
  const n = perFile(ctx);
  const [state, categories, eventAt] = await Promise.all([q.findMonthState(db, site, file.month, now), q.findCategoriesState(db), latestEventAt(db)]);
  const skip = (file.part - 1) * n;
  if (state.count <= skip) return undefined;
  const filePrefix = ctx.mediaUrls.file('');
  return {
    // URLs carry category slugs and follow the configured templates: both are in the tag.
    etag: etagOf(name, state, categories.lastmod, site.articleUrl.source, site.url, filePrefix, n),
    lastModified: latest(state.lastmod, categories.lastmod, eventAt),
    body: async function* () {
      const { open, close } = imageUrlset();
      yield open;
      let cursor = skip > 0 ? await q.findMonthCursor(db, site, file.month, skip, now) : undefined;
      let left = n;
      while (left > 0) {
        const rows = await q.listMonthArticles(db, site, file.month, cursor, Math.min(BATCH, left), now, filePrefix);
        if (rows.length === 0) break;
        yield rows.map((r) => urlEntry({ loc: r.url, lastmod: r.lastmod, image: r.image })).join('');
        left -= rows.length;
        const last = rows[rows.length - 1];
        cursor = { at: last.at, id: last.id };
      }
      yield close;
    },
  };
}

/** Every category's page. */
export async function categoriesSitemap(ctx: AppContext): Promise<StreamedSitemap> {
  const site = ctx.config.site;
  const state = await q.findCategoriesState(ctx.db);
  return {
    etag: etagOf('categories', state, site.categoryUrl.source, site.url),
    lastModified: latest(state.lastmod, await latestEventAt(ctx.db)),
    body: async function* () {
      const { open, close } = imageUrlset();
      yield open;
      for (let after = 0; ; ) {
        const rows = await q.listCategoryBatch(ctx.db, after, BATCH);
        if (rows.length === 0) break;
        yield rows.map((c) => urlEntry({ loc: categoryUrl(site, c), lastmod: c.lastmod })).join('');
        after = rows[rows.length - 1].id;
      }
      yield close;
    },
  };
}

/** Google News: the last 48 hours. */
export async function newsSitemap(ctx: AppContext): Promise<{ xml: string }> {
  const site = ctx.config.site;
  const rows = await q.listNewsArticles(ctx.db, site, ctx.now(), NEWS_LIMIT);
  const xml = newsDocument({ name: site.name, language: site.language }, rows.map((r) => ({ loc: r.url, title: r.title, publishedAt: r.publishedAt })));
  return { xml };
}
