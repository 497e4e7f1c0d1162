// The newest live articles of a feed, with what each item shows (category, cover), and what
// Last-Modified is made of.
import { and, desc, eq, max, type SQL, sql } from 'drizzle-orm';
import type { SiteConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { articleLive, categories, events, media } from '../../db/schema/index.js';
import { descendantIdsBySlug } from '../categories/categories.queries.js';
import { articleUrlSql } from '../articles/article-url.js';
import { visibleAt } from '../articles/live.queries.js';

export interface FeedFilter {
  category?: string;
  tag?: string;
}

function filtersOf(f: FeedFilter): SQL[] {
  const where: SQL[] = [];
  // = ANY(ARRAY(…)): the tree walk runs once and the ids drive article_live_category_idx.
  if (f.category !== undefined) where.push(sql`${articleLive.categoryId} = ANY(ARRAY${descendantIdsBySlug([f.category])})`);
  if (f.tag !== undefined) where.push(sql`${articleLive.tags} @> ARRAY[${f.tag}]::text[]`);
  return where;
}

/** The live version's `url`, as the public article JSON has it. */
export const liveUrlSql = (site: SiteConfig) =>
  articleUrlSql(site.articleUrl, { id: articleLive.articleId, slug: articleLive.slug, publishedAt: articleLive.publishedAt }, site.timeZone);

/** The newest `limit` articles visible at `now`, newest first. */
export function listFeedArticles(db: Db, site: SiteConfig, filter: FeedFilter, limit: number, now: Date) {
  return db
    .select({
      id: articleLive.articleId, url: sql<string>`${liveUrlSql(site)}`, title: articleLive.title, slug: articleLive.slug, summary: articleLive.summary, body: articleLive.body,
      tags: articleLive.tags, credits: articleLive.credits, publishedAt: articleLive.publishedAt, updatedAt: articleLive.updatedAt,
      visibleFrom: articleLive.visibleFrom,
      category: { id: categories.id, name: categories.name, slug: categories.slug },
      cover: {
        id: media.id, storageKey: media.storageKey, mimeType: media.mimeType, width: media.width, height: media.height,
        alt: media.alt, credit: media.credit, renditions: media.renditions,
      },
    })
    .from(articleLive)
    .leftJoin(categories, eq(categories.id, articleLive.categoryId))
    .leftJoin(media, eq(media.id, articleLive.coverMediaId))
    .where(and(visibleAt(now), ...filtersOf(filter)))
    .orderBy(desc(articleLive.publishedAt), desc(articleLive.articleId))
    .limit(limit);
}

export type FeedArticleRow = Awaited<ReturnType<typeof listFeedArticles>>[number];

/**
 * The latest domain event's time. An article that leaves a feed (unpublished, archived, deleted)
 * or a renamed category changes the feed without making any item newer: Last-Modified takes
 * this too, so that If-Modified-Since never gets a 304 for a feed that lost an item.
 */
export async function latestEventAt(db: Db): Promise<Date | null> {
  const [row] = await db.select({ at: max(events.createdAt) }).from(events);
  return row?.at ?? null;
}
