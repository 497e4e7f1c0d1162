// A feed of live articles (API.md §10): the site's, a category's (sub-categories included) or a
// tag's, newest first, as the plain model the three formats are written from.
import type { AppContext } from '../../context.js';
import { coalescing } from '../../lib/coalesce.js';
import type { StoredRendition } from '../../db/schema/index.js';
import { absolutizeUrls } from '../../lib/absolute-urls.js';
import { notFound } from '../../lib/problem.js';
import { findCategoryBySlug } from '../categories/categories.queries.js';
import { MEDIA_FILE_PREFIX } from '../media/media.urls.js';
import { categoryUrl } from '../site-links.js';
import type { Feed, FeedImage, FeedItem } from './feed-model.js';
import { type FeedArticleRow, type FeedFilter, latestEventAt, listFeedArticles } from './feeds.queries.js';

export const FEED_PATH = '/api/v1/feeds/articles';
export const DEFAULT_FEED_LIMIT = 50;
export const MAX_FEED_LIMIT = 100;

export interface FeedRequest extends FeedFilter {
  limit?: number;
}

/** The feed's URL in one format with the request's filters, in a fixed order. */
function feedUrl(publicUrl: string, ext: string, r: FeedRequest): string {
  const q = new URLSearchParams();
  if (r.category !== undefined) q.set('category', r.category);
  if (r.tag !== undefined) q.set('tag', r.tag);
  if (r.limit !== undefined) q.set('limit', String(r.limit));
  const query = q.toString();
  return `${publicUrl}${FEED_PATH}.${ext}${query ? `?${query}` : ''}`;
}

/** The largest rendition: a WebP file whose size in bytes is stored, as an enclosure's length needs. */
function enclosureOf(cover: FeedArticleRow['cover'], file: (key: string) => string): FeedImage | null {
  if (!cover || cover.renditions.length === 0) return null;
  const largest = cover.renditions.reduce((a: StoredRendition, b: StoredRendition) => (b.width > a.width ? b : a));
  return { url: file(largest.key), mimeType: `image/${largest.format}`, size: largest.size, width: largest.width, height: largest.height, alt: cover.alt, credit: cover.credit };
}

const latest = (dates: Array<Date | null | undefined>): Date | null =>
  dates.reduce<Date | null>((a, b) => (b instanceof Date && (a === null || b > a) ? b : a), null);

/** The feed as of `now`, and the ids of the articles in it (its surrogate keys). */
export async function buildFeed(ctx: AppContext, r: FeedRequest, now = ctx.now()): Promise<{ feed: Feed; articleIds: number[] }> {
  const site = ctx.config.site;
  const category = r.category === undefined ? undefined : await findCategoryBySlug(ctx.db, r.category.normalize('NFC'));
  if (r.category !== undefined && !category) throw notFound('Category');
  const filter = { category: category?.slug, tag: r.tag?.normalize('NFC') };
  const [rows, eventAt] = await Promise.all([listFeedArticles(ctx.db, site, filter, r.limit ?? DEFAULT_FEED_LIMIT, now), latestEventAt(ctx.db)]);

  const publicUrl = ctx.config.publicUrl;
  const apiPrefixes = [{ path: MEDIA_FILE_PREFIX, base: publicUrl }];
  const items: FeedItem[] = rows.map((row) => {
    const url = row.url;
    return {
      id: `${publicUrl}/api/v1/articles/${row.id}`,
      url,
      title: row.title,
      summary: row.summary,
      contentHtml: absolutizeUrls(row.body, { page: url, apiPrefixes }),
      publishedAt: row.publishedAt,
      // A scheduled version changes the item when it appears, not when it was approved.
      updatedAt: latest([row.updatedAt, row.visibleFrom, row.publishedAt])!,
      authors: row.credits.map((c) => c.name).filter((n) => n.trim() !== ''),
      category: row.category ? { name: row.category.name, slug: row.category.slug, url: categoryUrl(site, row.category) } : null,
      tags: row.tags,
      enclosure: enclosureOf(row.cover, ctx.mediaUrls.file),
      image: row.cover ? ctx.mediaUrls.file(row.cover.storageKey) : null,
    };
  });

  const scope = category ? category.name : r.tag !== undefined ? `#${filter.tag}` : undefined;
  const feed: Feed = {
    title: scope ? `${scope} | ${site.name}` : site.name,
    description: category?.description || (scope ? `${scope}: ${site.name}` : site.name),
    homeUrl: category ? categoryUrl(site, category) : site.url,
    feedUrls: { rss: feedUrl(publicUrl, 'rss', r), atom: feedUrl(publicUrl, 'atom', r), json: feedUrl(publicUrl, 'json', r) },
    language: site.language,
    updatedAt: latest([...items.map((i) => i.updatedAt), eventAt, category?.updatedAt]),
    publisher: site.name,
    items,
  };
  return { feed, articleIds: rows.map((row) => row.id) };
}

/** A feed written in one format: the bytes to send, when it last changed, and its articles. */
export interface FeedDocument {
  bytes: Buffer;
  updatedAt: Date | null;
  articleIds: number[];
}

type Writer = (feed: Feed) => string;
const documents = new WeakMap<AppContext, (key: string, request: { r: FeedRequest; write: Writer; now: Date }) => Promise<FeedDocument>>();

/**
 * The feed in one format. The same feed asked for by several readers at once (an aggregator's
 * burst, a CDN's revalidations) is read and written once for all of them, as of the latest
 * arrival (coalesce.ts), as public list pages are.
 */
export function feedDocument(ctx: AppContext, format: string, write: Writer, r: FeedRequest): Promise<FeedDocument> {
  let run = documents.get(ctx);
  if (!run) {
    run = coalescing(
      async (_key, { r: request, write: writer, now }) => {
        const { feed, articleIds } = await buildFeed(ctx, request, now);
        return { bytes: Buffer.from(writer(feed)), updatedAt: feed.updatedAt, articleIds };
      },
      (a, b) => (b.now > a.now ? b : a),
    );
    documents.set(ctx, run);
  }
  return run(`${format}\u0000${feedUrl('', format, r)}`, { r, write, now: ctx.now() });
}
