// Scheduled publication. Readers see a scheduled version from its visible_from on, because
// public queries filter by time; this job only does the bookkeeping shortly after — the status
// the workflow gives a scheduled article at go-live (scheduledGoLive), the history row, expired
// rows go. Rows are claimed with FOR UPDATE SKIP LOCKED, so with several instances on one
// database each article is handled once.
import { and, asc, isNotNull, lte } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { articles } from '../../db/schema/index.js';
import * as q from './articles.queries.js';
import { insertHistory } from './history.queries.js';
import { deleteExpiredLive, findVisibleLive, liveCategoryIds } from './live.queries.js';
import { emitWentLive } from './article-events.js';
import { publicLinks } from './public-article.js';
import { scheduledGoLive } from '../../workflow/machine.js';

const BATCH = 100;

/** Returns how many articles went live. */
export async function runScheduledPublications(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: articles.id, status: articles.status, publishAt: articles.publishAt })
      .from(articles)
      .where(and(isNotNull(articles.publishAt), lte(articles.publishAt, now)))
      .orderBy(asc(articles.publishAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    let published = 0;
    for (const a of due) {
      const visible = await findVisibleLive(tx, a.id, now);
      const publishedAt = visible?.publishedAt ?? a.publishAt;
      // The scheduled version is the visible one once its time has come; it replaced an older
      // one when it kept that one's publication time.
      if (visible && visible.visibleFrom.getTime() === a.publishAt!.getTime()) {
        // The version it replaced has ended but is still there (deleteExpiredLive comes last).
        await emitWentLive(tx, a.id, visible.publishedAt.getTime() < visible.visibleFrom.getTime(), now, publicLinks(ctx), await liveCategoryIds(tx, a.id));
      }
      const step = scheduledGoLive(a.status);
      if (step) {
        await q.updateArticleStatus(tx, a.id, a.status, { status: step.to, publishAt: null, publishedAt }, now);
        await insertHistory(tx, {
          articleId: a.id, action: step.action, fromStatus: a.status, toStatus: step.to, actorId: null,
          comment: 'Scheduled publication went live', at: a.publishAt!,
        });
        published++;
      } else {
        // Edited after it was scheduled: the approved version went live, the edit stays a draft.
        await q.updateArticleStatus(tx, a.id, a.status, { publishAt: null, publishedAt: visible ? publishedAt : null }, now);
      }
    }
    await deleteExpiredLive(tx, now);
    return published;
  });
}

export interface Scheduler {
  stop(): void;
}

export function startPublishScheduler(ctx: AppContext, intervalMs: number): Scheduler {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await runScheduledPublications(ctx);
      if (n > 0) ctx.log.info({ published: n }, 'scheduled articles went live');
    } catch (err) {
      ctx.log.warn({ err }, 'scheduled publication run failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
