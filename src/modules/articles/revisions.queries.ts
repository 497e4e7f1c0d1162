import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { articleRevisions, type RevisionContent } from '../../db/schema/index.js';
import type { ListPlan, ListSpec } from '../../lib/list-sql.js';
import type { ArticleRow } from './articles.queries.js';
import { seoOf } from './article-seo.js';

export type RevisionRow = typeof articleRevisions.$inferSelect;

export const revisionListSpec: ListSpec = {
  fields: { id: { type: 'int' }, authorId: { type: 'int', nullable: true }, createdAt: { type: 'timestamp' } },
  columns: { id: articleRevisions.id, authorId: articleRevisions.authorId, createdAt: articleRevisions.createdAt },
  id: articleRevisions.id,
  defaultSort: [{ field: 'id', dir: 'desc' }],
};

export const revisionsOf = (articleId: number) => eq(articleRevisions.articleId, articleId);

/** The editable content of a working copy: what a revision keeps. */
export function contentOf(a: ArticleRow): RevisionContent {
  return {
    title: a.title, slug: a.slug, summary: a.summary, body: a.body, categoryId: a.categoryId, tags: a.tags,
    coverMediaId: a.coverMediaId, credits: a.credits, seo: seoOf(a.seo),
  };
}

export async function insertRevision(db: Db, article: ArticleRow, authorId: number | null, at: Date): Promise<void> {
  await db.insert(articleRevisions).values({ articleId: article.id, authorId, content: contentOf(article), createdAt: at });
}

export function listRevisions(db: Db, plan: ListPlan) {
  return fetchPage(db, plan, db.select().from(articleRevisions).$dynamic(), articleRevisions);
}

export async function findRevision(db: Db, articleId: number, revisionId: number): Promise<RevisionRow | undefined> {
  const [row] = await db.select().from(articleRevisions).where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.id, revisionId)));
  return row;
}
