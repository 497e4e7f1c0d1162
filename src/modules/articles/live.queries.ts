// The live versions of articles (article_live): what is visible when, and the snapshots.
import { and, desc, eq, gt, isNull, lte, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { articleLive, articleRevisions, type articles } from '../../db/schema/index.js';

export type LiveRow = typeof articleLive.$inferSelect;

/**
 * The rule of public visibility, under this one name everywhere: the live row that anonymous
 * readers see at `now` (visible from, and not yet ended).
 */
export function visibleAt(now: Date | Placeholder): SQL {
  return and(lte(articleLive.visibleFrom, now), or(isNull(articleLive.visibleUntil), gt(articleLive.visibleUntil, now))) as SQL;
}

export async function findVisibleLive(db: Db, articleId: number, now: Date): Promise<LiveRow | undefined> {
  const [row] = await db.select().from(articleLive).where(and(eq(articleLive.articleId, articleId), visibleAt(now))).limit(1);
  return row;
}

/** The categories of every live row of an article: visible, ended or scheduled. */
export async function liveCategoryIds(db: Db, articleId: number): Promise<Array<number | null>> {
  const rows = await db.selectDistinct({ categoryId: articleLive.categoryId }).from(articleLive).where(eq(articleLive.articleId, articleId));
  return rows.map((r) => r.categoryId);
}

export async function hasAnyLive(db: Db, articleId: number): Promise<boolean> {
  const rows = await db.select({ id: articleLive.id }).from(articleLive).where(eq(articleLive.articleId, articleId)).limit(1);
  return rows.length > 0;
}

export async function deleteAllLive(db: Db, articleId: number): Promise<void> {
  await db.delete(articleLive).where(eq(articleLive.articleId, articleId));
}

/** Drops a pending (scheduled, not yet visible) version. */
export async function deletePendingLive(db: Db, articleId: number, now: Date): Promise<void> {
  await db.delete(articleLive).where(and(eq(articleLive.articleId, articleId), gt(articleLive.visibleFrom, now)));
}

export async function endLiveAt(db: Db, liveId: number, until: Date): Promise<void> {
  await db.update(articleLive).set({ visibleUntil: until }).where(eq(articleLive.id, liveId));
}

/** Rows whose time is over: nobody can see them any more. */
export async function deleteExpiredLive(db: Db, now: Date): Promise<void> {
  await db.delete(articleLive).where(lte(articleLive.visibleUntil, now));
}

export async function latestRevisionId(db: Db, articleId: number): Promise<number | null> {
  const [row] = await db
    .select({ id: articleRevisions.id })
    .from(articleRevisions)
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(desc(articleRevisions.id))
    .limit(1);
  return row?.id ?? null;
}

/** Copies the working copy into a new live row. */
export async function insertLiveSnapshot(
  db: Db,
  article: typeof articles.$inferSelect,
  times: { publishedAt: Date; visibleFrom: Date; updatedAt: Date },
): Promise<void> {
  await db.insert(articleLive).values({
    articleId: article.id,
    title: article.title,
    slug: article.slug,
    summary: article.summary,
    body: article.body,
    categoryId: article.categoryId,
    tags: article.tags,
    coverMediaId: article.coverMediaId,
    credits: article.credits,
    seo: article.seo,
    authorId: article.authorId,
    publishedAt: times.publishedAt,
    visibleFrom: times.visibleFrom,
    revisionId: await latestRevisionId(db, article.id),
    createdAt: article.createdAt,
    updatedAt: times.updatedAt,
  });
}


/** The next moment after `now` at which some live version appears or disappears: a timestamptz, NULL if none. */
export function visibilityChangeAfter(now: Date): SQL {
  // An upcoming version is the newest one: nothing ends it yet (article_live_upcoming_idx).
  return sql`least(
    (SELECT min(${articleLive.visibleFrom}) FROM ${articleLive} WHERE ${isNull(articleLive.visibleUntil)} AND ${gt(articleLive.visibleFrom, now)}),
    (SELECT min(${articleLive.visibleUntil}) FROM ${articleLive} WHERE ${gt(articleLive.visibleUntil, now)}))`;
}

/** The next moment at which some live version appears or disappears, if any. */
export async function nextVisibilityChange(db: Db, now: Date): Promise<Date | null> {
  const [row] = await db.select({ at: visibilityChangeAfter(now).mapWith(articleLive.visibleFrom) }).from(sql`(SELECT 1) AS one`);
  return row.at instanceof Date ? row.at : null;
}
