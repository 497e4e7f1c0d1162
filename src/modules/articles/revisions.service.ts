import type { AppContext } from '../../context.js';
import { listPage } from '../../lib/list-sql.js';
import { notFound } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import type { Actor } from '../../policy/permissions.js';
import { findCategoryById } from '../categories/categories.queries.js';
import { findMediaById } from '../media/media.queries.js';
import { assertArticleExists } from './article-exists.js';
import * as articles from './articles.queries.js';
import { getStaffArticle, saveWorkingCopy } from './articles.service.js';
import * as q from './revisions.queries.js';
import { seoOf } from './article-seo.js';

type Query = Record<string, string | string[] | undefined>;

export async function listRevisions(ctx: AppContext, articleId: number, query: Query) {
  await assertArticleExists(ctx.db, articleId);
  return listPage(query, q.revisionListSpec, (plan) => q.listRevisions(ctx.db, plan), q.revisionsOf(articleId));
}

export async function getRevision(ctx: AppContext, articleId: number, revisionId: number) {
  const row = await q.findRevision(ctx.db, articleId, revisionId);
  if (!row) throw notFound('Revision');
  return row;
}

/** Restoring is an edit like any other: same permissions, and it records a new revision. */
export async function restoreRevision(ctx: AppContext, actor: Actor, articleId: number, revisionId: number, ifMatch: string | undefined) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const article = await articles.findArticleForUpdate(tx, articleId);
    if (!article) throw notFound('Article');
    checkVersion(expectedVersion(ifMatch, undefined, article.version), article.version);
    const revision = await q.findRevision(tx, articleId, revisionId);
    if (!revision) throw notFound('Revision');
    // Revisions from before SEO settings read back with empty ones (migration 0018).
    const content = { ...revision.content, seo: seoOf(revision.content.seo) };
    // A category or cover deleted since then cannot come back; the article keeps its current one.
    if (content.categoryId !== null && !(await findCategoryById(tx, content.categoryId))) content.categoryId = article.categoryId;
    if (content.coverMediaId !== null && !(await findMediaById(tx, content.coverMediaId))) content.coverMediaId = article.coverMediaId;
    if (content.seo.ogImageId !== null && !(await findMediaById(tx, content.seo.ogImageId))) content.seo.ogImageId = seoOf(article.seo).ogImageId;
    await saveWorkingCopy(tx, actor, article, content, now);
    return getStaffArticle(tx, String(articleId), now, ctx.mediaUrls);
  });
}
