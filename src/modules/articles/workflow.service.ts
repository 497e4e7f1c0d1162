// Persists the decisions of the workflow state machine: conditional status update, live
// version, history row, all in the caller's transaction.
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { badRequest, conflict, forbidden, notFound, Problem } from '../../lib/problem.js';
import type { Actor } from '../../policy/permissions.js';
import { publicLinks, type PublicLinks } from './public-article.js';
import { decide, type Refusal, type TransitionRequest } from '../../workflow/machine.js';
import type { Status } from '../../workflow/states.js';
import type { ArticleRow, NewArticle } from './articles.queries.js';
import * as q from './articles.queries.js';
import { insertHistory } from './history.queries.js';
import * as live from './live.queries.js';
import { emitWentAway, emitWentLive } from './article-events.js';
import { notifyTimetableChange } from '../../events/outbox.js';
import { revokeArticlePreviewLinks } from '../preview/preview.queries.js';

/** The problem a refused transition answers with (API.md §5: 403, 409 listing the allowed actions, 400 on comment). */
export function refusalProblem(d: Refusal, currentStatus: Status): Problem {
  if (d.refusal === 'forbidden') return forbidden(d.message);
  if (d.refusal === 'comment_required') return badRequest(d.message, [{ path: 'comment', message: 'is required' }]);
  return new Problem(409, 'invalid_transition', d.message, undefined, { allowed: d.allowed, currentStatus });
}

export async function applyTransition(db: Db, actor: Actor, article: ArticleRow, req: TransitionRequest, now: Date, links: PublicLinks): Promise<void> {
  const hasLive = await live.hasAnyLive(db, article.id);
  const d = decide({ status: article.status, authorId: article.authorId, hasLive }, req, actor, now);
  if (!d.ok) throw refusalProblem(d, article.status);

  const values: Partial<NewArticle> = { status: d.to };
  const visible = d.live === 'none' ? undefined : await live.findVisibleLive(db, article.id, now);
  if (d.live === 'publish-now') {
    // A re-publication keeps the time readers first saw the article.
    const current = visible;
    const publishedAt = current?.publishedAt ?? now;
    await live.deleteAllLive(db, article.id);
    await live.insertLiveSnapshot(db, article, { publishedAt, visibleFrom: now, updatedAt: now });
    Object.assign(values, { publishedAt, publishAt: null });
    await emitWentLive(db, article.id, !!current, now, links, [current?.categoryId ?? null]);
  } else if (d.live === 'schedule') {
    const at = d.publishAt!;
    // Whatever is live stays live until the scheduled version takes over at `at`.
    await live.deletePendingLive(db, article.id, now);
    const current = visible;
    if (current) await live.endLiveAt(db, current.id, at);
    await live.insertLiveSnapshot(db, article, { publishedAt: current?.publishedAt ?? at, visibleFrom: at, updatedAt: at });
    values.publishAt = at;
    await notifyTimetableChange(db);
  } else if (d.live === 'remove') {
    await live.deleteAllLive(db, article.id);
    Object.assign(values, { publishedAt: null, publishAt: null });
    if (article.publishAt) await notifyTimetableChange(db);
    await emitWentAway(db, req.action === 'archive' ? 'article.archived' : 'article.unpublished', visible, now);
  }
  // Archiving revokes preview links for good: restoring the article does not bring them back.
  if (req.action === 'archive') await revokeArticlePreviewLinks(db, article.id, now);

  if (!(await q.updateArticleStatus(db, article.id, article.status, values, now))) {
    throw conflict('The article changed status concurrently; reload it and try again.');
  }
  await insertHistory(db, {
    articleId: article.id, action: req.action, fromStatus: article.status, toStatus: d.to, actorId: actor.id,
    comment: req.comment?.trim() || null, at: now,
  });
}

export async function transitionArticle(ctx: AppContext, actor: Actor, id: number, req: TransitionRequest) {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const article = await q.findArticleForUpdate(tx, id);
    if (!article) throw notFound('Article');
    await applyTransition(tx, actor, article, req, now, publicLinks(ctx));
  });
}
