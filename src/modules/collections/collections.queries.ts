import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import type { PublicLinks } from '../articles/public-article.js';
import { rowsOf } from '../../db/rows.js';
import { slugFamily } from '../../db/slug-family.js';
import { atVersion, nextVersion } from '../../db/versioned.js';
import { articleLive, articles, collectionItems, collections } from '../../db/schema/index.js';
import { allWordsIn, foldSql, type ListPlan, type ListSpec } from '../../lib/list-sql.js';
import { selectLiveJson } from '../articles/article-reads.queries.js';
import { visibleAt } from '../articles/live.queries.js';

export type CollectionHead = typeof collections.$inferSelect;
export type NewCollection = typeof collections.$inferInsert;
export type CollectionRow = CollectionHead & { items: number[] };

// The article ids in the editors' order, read beside each collection (the PK index, in order).
const itemsColumn = sql<number[]>`coalesce((SELECT array_agg(${collectionItems.articleId} ORDER BY ${collectionItems.position})
  FROM ${collectionItems} WHERE ${collectionItems.collectionId} = ${collections.id}), '{}'::int[])`.mapWith((v: unknown) => (v as Array<number | string>).map(Number));

const withItems = (db: Db) =>
  db
    .select({
      id: collections.id, name: collections.name, slug: collections.slug, description: collections.description, maxItems: collections.maxItems,
      version: collections.version, createdAt: collections.createdAt, updatedAt: collections.updatedAt, items: itemsColumn,
    })
    .from(collections)
    .$dynamic();

export const collectionListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    name: { type: 'text' },
    slug: { type: 'text' },
    description: { type: 'text', sortable: false },
    maxItems: { type: 'int' },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  columns: {
    id: collections.id, name: collections.name, slug: collections.slug, description: collections.description, maxItems: collections.maxItems,
    createdAt: collections.createdAt, updatedAt: collections.updatedAt,
  },
  id: collections.id,
  defaultSort: [{ field: 'id', dir: 'asc' }],
  cursorFields: ['updatedAt', 'createdAt'],
  search: (q) => ({ where: allWordsIn(foldSql(collections.name), q), rank: [] }),
};

export function listCollections(db: Db, plan: ListPlan): Promise<{ rows: CollectionRow[]; total: number }> {
  return fetchPage(db, plan, withItems(db), collections);
}

export async function findCollection(db: Db, by: { id: number } | { slug: string }): Promise<CollectionRow | undefined> {
  const [row] = await withItems(db).where('id' in by ? eq(collections.id, by.id) : eq(collections.slug, by.slug));
  return row;
}

/** The collection, locked until the transaction ends: concurrent writes of one collection queue. */
export async function findCollectionForUpdate(db: Db, id: number): Promise<CollectionHead | undefined> {
  const [row] = await db.select().from(collections).where(eq(collections.id, id)).for('update');
  return row;
}

export async function findCollectionSlugsLike(db: Db, base: string, exceptId?: number): Promise<string[]> {
  const rows = await db.select({ slug: collections.slug, id: collections.id }).from(collections).where(slugFamily(collections.slug, base));
  return rows.filter((r) => r.id !== exceptId).map((r) => r.slug);
}

/**
 * Which of `ids` name an article, each locked against deletion (FOR KEY SHARE) until the
 * transaction ends, so that an article cannot vanish between this check and the insert.
 */
export async function lockExistingArticles(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: articles.id }).from(articles).where(inArray(articles.id, ids)).orderBy(asc(articles.id)).for('key share');
  return new Set(rows.map((r) => r.id));
}

export async function insertCollection(db: Db, values: NewCollection): Promise<CollectionHead> {
  const [row] = await db.insert(collections).values(values).returning();
  return row;
}

export async function updateCollection(db: Db, id: number, version: number, values: Partial<NewCollection>, now: Date): Promise<CollectionHead | undefined> {
  const [row] = await db.update(collections).set({ ...values, ...nextVersion(collections, now) }).where(atVersion(collections, id, version)).returning();
  return row;
}

export async function deleteCollection(db: Db, id: number, version: number): Promise<CollectionHead | undefined> {
  const [row] = await db.delete(collections).where(atVersion(collections, id, version)).returning();
  return row;
}

export async function replaceItems(db: Db, collectionId: number, items: number[]): Promise<void> {
  await db.delete(collectionItems).where(eq(collectionItems.collectionId, collectionId));
  if (items.length > 0) await db.insert(collectionItems).values(items.map((articleId, position) => ({ collectionId, position, articleId })));
}

// ── Members: what the articles module asks when an article changes ─────────────

/**
 * Removes an article from every collection; a changed `items` is a new version of each. Returns
 * the collections it was in.
 */
export async function removeArticleFromAll(db: Db, articleId: number, now: Date): Promise<number[]> {
  const holding = await db.selectDistinct({ id: collectionItems.collectionId }).from(collectionItems).where(eq(collectionItems.articleId, articleId));
  if (holding.length === 0) return [];
  // The collections first, then their items: the order a collection write takes them in, so
  // that a delete and a concurrent reorder queue instead of deadlocking.
  const ids = (
    await db.select({ id: collections.id }).from(collections).where(inArray(collections.id, holding.map((r) => r.id))).orderBy(asc(collections.id)).for('update')
  ).map((r) => r.id);
  await db.delete(collectionItems).where(eq(collectionItems.articleId, articleId));
  if (ids.length > 0) await db.update(collections).set({ version: sql`${collections.version} + 1`, updatedAt: now }).where(inArray(collections.id, ids));
  return ids;
}

/**
 * The collections whose public view shows `articleId` while it is live: fewer than maxItems of
 * the live articles above it. The other members do not change with it, so the answer is the
 * same before and after the article itself goes live or away.
 */
export async function collectionsShowing(db: Db, articleId: number, now: Date): Promise<number[]> {
  const above = db
    .select({ n: sql<number>`count(*)` })
    .from(collectionItems)
    .innerJoin(articleLive, eq(articleLive.articleId, collectionItems.articleId))
    .where(and(sql`${collectionItems.collectionId} = ci.collection_id`, sql`${collectionItems.position} < ci.position`, visibleAt(now)));
  const rows = await db.execute<{ id: number }>(sql`
    SELECT ci.collection_id AS id FROM ${collectionItems} AS ci JOIN ${collections} AS c ON c.id = ci.collection_id
    WHERE ci.article_id = ${articleId} AND (${above}) < c.max_items
    ORDER BY ci.collection_id`);
  return rowsOf<{ id: number | string }>(rows).map((r) => Number(r.id));
}

// ── The public view ────────────────────────────────────────────────────────────

/** A shown article: its public JSON and what its surrogate keys are made of. */
export interface ShownArticle {
  json: string;
  id: number;
  categoryId: number | null;
  coverMediaId: number | null;
}

/**
 * The first `maxItems` live articles in the editors' order, in the public shape
 * (public-article.ts): the items in position order (primary key), each joined to its visible
 * live version (article_live_article_id_idx).
 */
export function shownArticlesQuery(db: Db, collectionId: number, maxItems: number, now: Date, links: PublicLinks) {
  return selectLiveJson(db, links, { id: articleLive.articleId, categoryId: articleLive.categoryId, coverMediaId: articleLive.coverMediaId })
    .innerJoin(collectionItems, eq(collectionItems.articleId, articleLive.articleId))
    .where(and(eq(collectionItems.collectionId, collectionId), visibleAt(now)))
    .orderBy(asc(collectionItems.position))
    .limit(maxItems);
}

export async function findShownArticles(db: Db, collectionId: number, maxItems: number, now: Date, links: PublicLinks): Promise<ShownArticle[]> {
  return (await shownArticlesQuery(db, collectionId, maxItems, now, links)) as ShownArticle[];
}

/** The ids of the articles the public view shows, in order (webhook payloads). */
export async function findShownIds(db: Db, collectionId: number, maxItems: number, now: Date): Promise<number[]> {
  const rows = await db
    .select({ id: collectionItems.articleId })
    .from(collectionItems)
    .innerJoin(articleLive, eq(articleLive.articleId, collectionItems.articleId))
    .where(and(eq(collectionItems.collectionId, collectionId), visibleAt(now)))
    .orderBy(asc(collectionItems.position))
    .limit(maxItems);
  return rows.map((r) => r.id);
}

export async function findCollectionHeads(db: Db, ids: number[]): Promise<CollectionHead[]> {
  if (ids.length === 0) return [];
  return db.select().from(collections).where(inArray(collections.id, ids)).orderBy(asc(collections.id));
}
