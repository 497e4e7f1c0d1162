// Articles as JSON that PostgreSQL writes (public-article.ts, article-json.ts): public and staff
// list pages, and the public lookups by id or slug, batched. The working-copy writes are
// articles.queries.ts.
import { and, eq, fillPlaceholders, type Placeholder, sql } from 'drizzle-orm';
import { PgDialect, type PgSelect } from 'drizzle-orm/pg-core';
import type { Database, Db } from '../../db/client.js';
import type { CountCache } from '../../db/count-cache.js';
import { fetchPage, pageQuery } from '../../db/list-page.js';
import { jsonPageRunner, onPage, pageRowIds, pageTotal, rowFields } from '../../db/json-page.js';
import { preparedOnce } from '../../db/prepared-queries.js';
import { batchedLookup } from '../../lib/batched-lookup.js';
import { SLUG_PATTERN } from '../../lib/slug.js';
import { articleLive, articles, categories, media } from '../../db/schema/index.js';
import { type ListPlan, type ListSpec, vectorSearch } from '../../lib/list-sql.js';
import { visibilityChangeAfter, visibleAt } from './live.queries.js';
import { isoTime, staffArticleJson } from './article-json.js';
import { LIVE_SOURCE, publicArticleJson, type PublicLinks, socialImage, socialImageJoin, WORKING_SOURCE } from './public-article.js';
import { taxonomyFilter } from './taxonomy-filter.js';

export const publicArticleListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    title: { type: 'text' },
    slug: { type: 'text' },
    categoryId: { type: 'int', nullable: true },
    tags: { type: 'tag', sortable: false },
    publishedAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  extraFilters: ['category', 'tag'],
  columns: {
    id: articleLive.articleId, title: articleLive.title, slug: articleLive.slug, categoryId: articleLive.categoryId,
    tags: articleLive.tags, publishedAt: articleLive.publishedAt, updatedAt: articleLive.updatedAt,
  },
  id: articleLive.articleId,
  defaultSort: [
    { field: 'publishedAt', dir: 'desc' },
    { field: 'id', dir: 'desc' },
  ],
  cursorFields: ['publishedAt', 'updatedAt'],
  extra: (field, values) => taxonomyFilter(field, values, articleLive.categoryId, articleLive.tags),
  search: (q) => vectorSearch({ document: articleLive.searchVector, title: articleLive.titleVector }, q),
};

// ── Reads as JSON bytes (article-json.ts): what the list and public endpoints send ──────────────

/** Live versions in the public shape (public-article.ts), joined to their category and cover. */
export function selectLiveJson(db: Db, links: PublicLinks, extra = {}, fields?: readonly string[]) {
  return db
    .select({ json: publicArticleJson(LIVE_SOURCE, links, fields), ...extra })
    .from(articleLive)
    .leftJoin(categories, eq(categories.id, articleLive.categoryId))
    .leftJoin(media, eq(media.id, articleLive.coverMediaId))
    .leftJoin(socialImage, socialImageJoin(LIVE_SOURCE))
    .$dynamic();
}

/** The live version visible at `now` as public JSON text, read in `db` (a transaction: webhook payloads). */
export async function findLiveArticleJsonIn(db: Db, id: number, now: Date, links: PublicLinks): Promise<string | undefined> {
  const [row] = await selectLiveJson(db, links).where(and(eq(articleLive.articleId, id), visibleAt(now))).limit(1);
  return row?.json;
}

/** A working copy in the public shape (preview links): the same fields, from the same definition. */
export async function findPreviewArticleJson(db: Db, id: number, links: PublicLinks): Promise<string | undefined> {
  const [row] = await db
    .select({ json: publicArticleJson(WORKING_SOURCE, links) })
    .from(articles)
    .leftJoin(categories, eq(categories.id, articles.categoryId))
    .leftJoin(media, eq(media.id, articles.coverMediaId))
    .leftJoin(socialImage, socialImageJoin(WORKING_SOURCE))
    .where(eq(articles.id, id));
  return row?.json;
}

// The fields after the JSON in a list page's rows: what their cursors read.
const LIVE_FIELDS = rowFields({
  id: { column: sql`${articleLive.articleId}::text`, type: 'int' },
  publishedAt: { column: isoTime(articleLive.publishedAt), type: 'text' },
  updatedAt: { column: isoTime(articleLive.updatedAt), type: 'text' },
});
const WORKING_FIELDS = rowFields({
  id: { column: sql`${articles.id}::text`, type: 'int' },
  updatedAt: { column: isoTime(articles.updatedAt), type: 'text' },
  createdAt: { column: isoTime(articles.createdAt), type: 'text' },
});

// The same joins as selectWorking.
function selectWorkingJson(db: Db, now: Date, filePrefix: string) {
  return db
    .select({ json: staffArticleJson(filePrefix), ...WORKING_FIELDS.columns, ...pageTotal })
    .from(articles)
    .leftJoin(categories, eq(categories.id, articles.categoryId))
    .leftJoin(media, eq(media.id, articles.coverMediaId))
    .leftJoin(articleLive, and(eq(articleLive.articleId, articles.id), visibleAt(now)))
    .$dynamic();
}

const livePage = (db: Db, ranked: boolean) => pageRowIds(db, articleLive, articleLive.id, ranked);
const liveJsonOf = (db: Db, plan: ListPlan, links: PublicLinks, fields?: readonly string[]) => (page: PgSelect) =>
  onPage(selectLiveJson(db, links, { ...LIVE_FIELDS.columns, ...pageTotal }, fields), page, articleLive.id, plan);
const workingPage = (db: Db, ranked: boolean) => pageRowIds(db, articles, articles.id, ranked);
const workingJsonOf = (db: Db, plan: ListPlan, now: Date, filePrefix: string) => (page: PgSelect) =>
  onPage(selectWorkingJson(db, now, filePrefix), page, articles.id, plan);

/** The query of a public list page (EXPLAIN tests read it). */
export const livePageJsonQuery = (db: Db, plan: ListPlan, links: PublicLinks, fields?: readonly string[]) =>
  liveJsonOf(db, plan, links, fields)(pageQuery(plan, livePage(db, Boolean(plan.ranked))));

/** The query of a staff list page (EXPLAIN tests read it). */
export const workingPageJsonQuery = (db: Db, plan: ListPlan, now: Date, filePrefix: string) =>
  workingJsonOf(db, plan, now, filePrefix)(pageQuery(plan, workingPage(db, Boolean(plan.ranked))));

/**
 * Public lists, each article with every public field or only `fields`. With a count cache, the
 * total is kept until a write or the next change of the publication timetable, whichever comes
 * first: page 1 and every deeper page of a filter share it.
 */
export function listLiveArticlesJson(database: Database, plan: ListPlan, now: Date, links: PublicLinks, counts?: CountCache, fields?: readonly string[]) {
  const { db } = database;
  const visible = { scope: 'visible', now, filters: plan.filters, nextChange: visibilityChangeAfter(now) };
  return fetchPage(db, plan, livePage(db, false), articleLive, {
    withTotal: () => livePage(db, true),
    count: counts && (() => counts.count(db, articleLive, plan.where, visible)),
    run: jsonPageRunner(database, liveJsonOf(db, plan, links, fields), LIVE_FIELDS, { pipelined: plan.bounded }),
  });
}

/** Staff lists: working copies as JSON, the total from the count cache while nothing changed. */
export function listWorkingArticlesJson(database: Database, plan: ListPlan, now: Date, filePrefix: string, counts?: CountCache) {
  const { db } = database;
  return fetchPage(db, plan, workingPage(db, false), articles, {
    withTotal: () => workingPage(db, true),
    count: counts && (() => counts.count(db, articles, plan.where)),
    run: jsonPageRunner(database, workingJsonOf(db, plan, now, filePrefix), WORKING_FIELDS),
  });
}

// What the surrogate keys of a public article are made of, read beside its JSON (as text, like
// every column of these reads) rather than parsed out of it.
const LIVE_REFS = {
  articleId: sql<string>`${articleLive.articleId}::text`.as('ref_article_id'),
  categoryId: sql<string>`${articleLive.categoryId}::text`.as('ref_category_id'),
  coverMediaId: sql<string>`${articleLive.coverMediaId}::text`.as('ref_cover_media_id'),
};

/** A public article as the JSON to send, and what it refers to. */
export interface LiveArticleJson {
  json: Buffer;
  id: number;
  categoryId: number | null;
  coverMediaId: number | null;
}

const intOrNull = (text: Buffer | null | undefined) => (text ? Number(text.toString()) : null);

/**
 * The public article query for a batch of ids or slugs; each row is the JSON, the ids of the
 * article, its category and its cover, then its key, all as text. One index lookup per key
 * (LATERAL … LIMIT 1): for "= any(array)" the generic plan guesses ten matches and takes a
 * bitmap scan and hash joins instead.
 */
export function liveArticlesJsonQuery(db: Db, key: 'id' | 'slug', values: number[] | string[] | Placeholder, now: Date | Placeholder, links: PublicLinks) {
  const byKey = eq(key === 'id' ? articleLive.articleId : articleLive.slug, sql`k.key`);
  const one = selectLiveJson(db, links, LIVE_REFS).where(and(byKey, visibleAt(now))).limit(1);
  // One array parameter (a bare array in a template would become a list of parameters).
  const array = Array.isArray(values) ? sql.param(values) : values;
  const keys = key === 'id' ? sql`${array}::int[]` : sql`${array}::text[]`;
  const query = sql`select j.*, k.key::text from unnest(${keys}) as k(key) cross join lateral (${one}) as j`;
  return { toSQL: () => dialect.sqlToQuery(query) };
}

const dialect = new PgDialect();
const INT4_MAX = 2_147_483_647;
const SLUG = new RegExp(SLUG_PATTERN);
// A burst of distinct articles is split into statements of at most this many keys.
const MAX_BATCH = 64;

/**
 * The article page is the most read URL of all. Its query is built once (placeholders), and the
 * lookups of one event-loop turn, or of the turns while a batch is out, share one statement.
 */
const liveLookup = (database: Database, key: 'id' | 'slug', links: PublicLinks) =>
  preparedOnce(database.db, `live_article_lookup_${key}_${links.filePrefix}_${links.articleUrl.source}_${links.timeZone}`, (db) => {
    const query = liveArticlesJsonQuery(db, key, sql.placeholder('keys'), sql.placeholder('now'), { ...links, filePrefix: sql.placeholder('prefix') }).toSQL();
    const filePrefix = links.filePrefix;
    return batchedLookup<string, LiveArticleJson, Date>({
      maxBatch: MAX_BATCH,
      // The latest clock of the batch: each request in it reads as of its arrival or later.
      merge: (a, b) => (b > a ? b : a),
      fetch: async (keys, now) => {
        const values = { keys: key === 'id' ? keys.map(Number) : keys, now: now.toISOString(), prefix: filePrefix };
        const rows = await database.textRows({ sql: query.sql, params: fillPlaceholders(query.params, values) }, { pipelined: true });
        return new Map(
          rows.map(([json, id, categoryId, coverMediaId, k]) => [String(k), { json: json!, id: Number(String(id)), categoryId: intOrNull(categoryId), coverMediaId: intOrNull(coverMediaId) }]),
        );
      },
    });
  });

export async function findLiveArticleJson(database: Database, by: { id: number } | { slug: string }, now: Date, links: PublicLinks): Promise<LiveArticleJson | undefined> {
  // A key that can name no article is not looked up: in a shared statement, a value that
  // PostgreSQL refuses (an id beyond int4, a NUL) would fail the other requests' lookups too.
  if ('id' in by) return by.id <= INT4_MAX ? liveLookup(database, 'id', links)(String(by.id), now) : undefined;
  return SLUG.test(by.slug) ? liveLookup(database, 'slug', links)(by.slug, now) : undefined;
}
