// What the sitemaps list: live articles by month of publication (in SITE_TIME_ZONE, as the
// URL's {yyyy}/{mm}), read in keyset batches along article_live_published_at_idx so that a
// file of 50,000 URLs is never held whole; the last 48 hours for Google News; the categories.
import { and, asc, desc, eq, gt, gte, lte, max, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { SiteConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { articleLive, categories, media } from '../../db/schema/index.js';
import { visibleAt } from '../articles/live.queries.js';
import { liveUrlSql } from '../feeds/feeds.queries.js';

/** Articles a search engine may index: not marked `seo.noindex` (API.md §10). */
export function isIndexable(): SQL {
  return sql`coalesce((${articleLive.seo}->>'noindex')::boolean, false) = false`;
}

const utcText = (col: SQL | PgColumn, format: string) => sql<string>`to_char(${col} AT TIME ZONE 'UTC', ${sql.raw(`'${format}'`)})`;
/** W3C Datetime to the second, as sitemaps' lastmod and news:publication_date. */
export const W3C_SECONDS = 'YYYY-MM-DD"T"HH24:MI:SS"Z"';
// A keyset cursor keeps microseconds: a JavaScript Date would round them away and repeat or skip rows.
const CURSOR = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/** When a live article last changed for readers: edited and re-published, or a scheduled version appearing. */
const changedAt = sql`greatest(${articleLive.updatedAt}, ${articleLive.visibleFrom})`;

const month = (site: SiteConfig) => sql<string>`to_char(${articleLive.publishedAt} AT TIME ZONE ${site.timeZone}::text, 'YYYY-MM')`;

export interface ArticleMonth {
  month: string;
  count: number;
  lastmod: string;
}

/** Every month that has indexable live articles, oldest first, with how many and the newest change. */
export async function listArticleMonths(db: Db, site: SiteConfig, now: Date): Promise<ArticleMonth[]> {
  const m = month(site);
  return db
    .select({ month: m, count: sql<number>`count(*)::int`, lastmod: utcText(sql`max(${changedAt})`, W3C_SECONDS) })
    .from(articleLive)
    .where(and(visibleAt(now), isIndexable()))
    // By position: the time zone is a parameter, and $1 in the list is not $4 in GROUP BY to PostgreSQL.
    .groupBy(sql`1`)
    .orderBy(sql`1`);
}

/** The first and the following instant of a month ('2026-05') in the site's time zone. */
function monthRange(site: SiteConfig, yyyyMm: string): SQL {
  const [y, mo] = yyyyMm.split('-').map(Number);
  const start = sql`make_timestamp(${y}::int, ${mo}::int, 1, 0, 0, 0)`;
  return sql`${articleLive.publishedAt} >= (${start} AT TIME ZONE ${site.timeZone}::text) AND ${articleLive.publishedAt} < ((${start} + interval '1 month') AT TIME ZONE ${site.timeZone}::text)`;
}

export interface MonthState {
  count: number;
  lastmod: Date | null;
  /** Changes when any article of the month is replaced by another (a sum of live row ids). */
  rows: string;
}

/** What a month's files are made of, for their ETag and to know which parts exist. */
export async function findMonthState(db: Db, site: SiteConfig, yyyyMm: string, now: Date): Promise<MonthState> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, lastmod: sql<Date | null>`max(${changedAt})`.mapWith(articleLive.updatedAt), rows: sql<string>`coalesce(sum(${articleLive.id}::bigint), 0)::text` })
    .from(articleLive)
    .where(and(sql`${monthRange(site, yyyyMm)}`, visibleAt(now), isIndexable()));
  return row;
}

export interface Cursor {
  at: string;
  id: number;
}

const order = [asc(articleLive.publishedAt), asc(articleLive.articleId)];

/** The cursor just before the `offset`-th (0-based) article of a month, in publication order. */
export async function findMonthCursor(db: Db, site: SiteConfig, yyyyMm: string, offset: number, now: Date): Promise<Cursor | undefined> {
  const [row] = await db
    .select({ at: utcText(articleLive.publishedAt, CURSOR), id: articleLive.articleId })
    .from(articleLive)
    .where(and(sql`${monthRange(site, yyyyMm)}`, visibleAt(now), isIndexable()))
    .orderBy(...order)
    .offset(offset - 1)
    .limit(1);
  return row;
}

/** The next batch of a month's articles after `after`: URL, lastmod and cover image. */
export function listMonthArticles(db: Db, site: SiteConfig, yyyyMm: string, after: Cursor | undefined, limit: number, now: Date, filePrefix: string) {
  return db
    .select({
      url: sql<string>`${liveUrlSql(site)}`,
      lastmod: utcText(changedAt, W3C_SECONDS),
      image: sql<string | null>`CASE WHEN ${media.mimeType} LIKE 'image/%' THEN ${filePrefix}::text || ${media.storageKey} END`,
      at: utcText(articleLive.publishedAt, CURSOR),
      id: articleLive.articleId,
    })
    .from(articleLive)
    .leftJoin(categories, eq(categories.id, articleLive.categoryId))
    .leftJoin(media, eq(media.id, articleLive.coverMediaId))
    .where(
      and(
        sql`${monthRange(site, yyyyMm)}`,
        after ? sql`(${articleLive.publishedAt}, ${articleLive.articleId}) > (${after.at}::timestamptz, ${after.id}::int)` : undefined,
        visibleAt(now),
        isIndexable(),
      ),
    )
    .orderBy(...order)
    .limit(limit);
}

export type MonthArticleRow = Awaited<ReturnType<typeof listMonthArticles>>[number];

/** Google News: indexable articles published in the 48 hours before `now`, newest first, at most `limit`. */
export function listNewsArticles(db: Db, site: SiteConfig, now: Date, limit: number) {
  return db
    .select({ url: sql<string>`${liveUrlSql(site)}`, title: articleLive.title, publishedAt: utcText(articleLive.publishedAt, W3C_SECONDS), id: articleLive.articleId })
    .from(articleLive)
    .leftJoin(categories, eq(categories.id, articleLive.categoryId))
    .where(and(gte(articleLive.publishedAt, new Date(now.getTime() - 48 * 3600_000)), lte(articleLive.publishedAt, now), visibleAt(now), isIndexable()))
    .orderBy(desc(articleLive.publishedAt), desc(articleLive.articleId))
    .limit(limit);
}

/** A batch of categories after id `after`, in id order. */
export function listCategoryBatch(db: Db, after: number, limit: number) {
  return db
    .select({ id: categories.id, slug: categories.slug, lastmod: utcText(categories.updatedAt, W3C_SECONDS) })
    .from(categories)
    .where(gt(categories.id, after))
    .orderBy(asc(categories.id))
    .limit(limit);
}

/** The newest change of any category (categories.xml's lastmod and ETag). */
export async function findCategoriesState(db: Db): Promise<{ count: number; lastmod: Date | null }> {
  const [row] = await db.select({ count: sql<number>`count(*)::int`, lastmod: max(categories.updatedAt) }).from(categories);
  return row;
}
