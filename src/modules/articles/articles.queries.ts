import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { deleteAtVersion, nextVersion, updateAtVersion } from '../../db/versioned.js';
import { slugFamily } from '../../db/slug-family.js';
import { articleLive, articles, categories, media } from '../../db/schema/index.js';
import { type ListSpec, vectorSearch } from '../../lib/list-sql.js';
import { STATUSES, type Status } from '../../workflow/states.js';
import { taxonomyFilter } from './taxonomy-filter.js';
import { visibleAt } from './live.queries.js';
import { coverColumns } from '../media/media.queries.js';

export type ArticleRow = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;

const categoryRef = { id: categories.id, name: categories.name, slug: categories.slug };

// Everything but the search column, plus the embedded category and cover, and the live marker.
const workingColumns = {
  id: articles.id, title: articles.title, slug: articles.slug, summary: articles.summary, body: articles.body,
  categoryId: articles.categoryId, tags: articles.tags, coverMediaId: articles.coverMediaId, credits: articles.credits, seo: articles.seo,
  authorId: articles.authorId, status: articles.status, publishedAt: articles.publishedAt, publishAt: articles.publishAt,
  version: articles.version, createdAt: articles.createdAt, updatedAt: articles.updatedAt,
  category: categoryRef,
  cover: coverColumns,
  livePublishedAt: articleLive.publishedAt,
  liveRevisionId: articleLive.revisionId,
};

export type WorkingArticle = Awaited<ReturnType<typeof selectWorking>>[number];

function selectWorking(db: Db, now: Date) {
  return db
    .select(workingColumns)
    .from(articles)
    .leftJoin(categories, eq(categories.id, articles.categoryId))
    .leftJoin(media, eq(media.id, articles.coverMediaId))
    .leftJoin(articleLive, and(eq(articleLive.articleId, articles.id), visibleAt(now)));
}


export const staffArticleListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    title: { type: 'text' },
    slug: { type: 'text' },
    summary: { type: 'text', sortable: false },
    status: { type: 'enum', values: STATUSES },
    categoryId: { type: 'int', nullable: true },
    authorId: { type: 'int', nullable: true },
    coverMediaId: { type: 'int', nullable: true, sortable: false },
    tags: { type: 'tag', sortable: false },
    publishedAt: { type: 'timestamp', nullable: true },
    publishAt: { type: 'timestamp', nullable: true },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  extraFilters: ['category', 'tag'],
  columns: {
    id: articles.id, title: articles.title, slug: articles.slug, summary: articles.summary, status: articles.status,
    categoryId: articles.categoryId, authorId: articles.authorId, coverMediaId: articles.coverMediaId, tags: articles.tags,
    publishedAt: articles.publishedAt, publishAt: articles.publishAt, createdAt: articles.createdAt, updatedAt: articles.updatedAt,
  },
  id: articles.id,
  defaultSort: [{ field: 'updatedAt', dir: 'desc' }],
  cursorFields: ['updatedAt', 'createdAt'],
  extra: (field, values) => taxonomyFilter(field, values, articles.categoryId, articles.tags),
  // Title matches first (API.md §5), then the default order.
  search: (q) => vectorSearch({ document: articles.searchVector, title: articles.titleVector }, q),
};

export async function findWorkingArticle(db: Db, by: { id: number } | { slug: string }, now: Date) {
  const [row] = await selectWorking(db, now).where('id' in by ? eq(articles.id, by.id) : eq(articles.slug, by.slug));
  return row;
}

export async function findArticleForUpdate(db: Db, id: number): Promise<ArticleRow | undefined> {
  const [row] = await db.select().from(articles).where(eq(articles.id, id)).for('update');
  return row;
}

/** Slugs like base / base-N taken by any working copy or live version. */
export async function findArticleSlugsLike(db: Db, base: string, exceptId?: number): Promise<string[]> {
  const [working, live] = await Promise.all([
    db.select({ slug: articles.slug, id: articles.id }).from(articles).where(slugFamily(articles.slug, base)),
    db.select({ slug: articleLive.slug, id: articleLive.articleId }).from(articleLive).where(slugFamily(articleLive.slug, base)),
  ]);
  return [...working, ...live].filter((r) => r.id !== exceptId).map((r) => r.slug);
}

export async function insertArticle(db: Db, values: NewArticle): Promise<number> {
  const [row] = await db.insert(articles).values(values).returning({ id: articles.id });
  return row.id;
}

/** Writes a change only if nobody changed the article since `version` was read. */
export async function updateArticle(db: Db, id: number, version: number, values: Partial<NewArticle>, now: Date): Promise<boolean> {
  const rows = await updateAtVersion(db, articles, id, version, values, now).returning({ id: articles.id });
  return rows.length === 1;
}

/** Moves the status only if it is still `from`: of two concurrent transitions one wins. */
export async function updateArticleStatus(db: Db, id: number, from: Status, values: Partial<NewArticle>, now: Date): Promise<boolean> {
  const rows = await db
    .update(articles)
    .set({ ...values, ...nextVersion(articles, now) })
    .where(and(eq(articles.id, id), eq(articles.status, from)))
    .returning({ id: articles.id });
  return rows.length === 1;
}

export async function deleteArticle(db: Db, id: number, version: number): Promise<boolean> {
  const rows = await deleteAtVersion(db, articles, id, version).returning({ id: articles.id });
  return rows.length === 1;
}
