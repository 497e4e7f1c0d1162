// The article events frontends rebuild on. Payloads hold public fields only: the live version
// as anonymous readers get it, or { id, slug } of what just stopped being public. Each names the
// surrogate keys it changed (cache-keys.ts) and moves the publication timetable.
import type { Db } from '../../db/client.js';
import type { MediaUrls } from '../media/media.urls.js';
import { emitEvent } from '../../events/outbox.js';
import { articleChangeKeys } from '../cache-keys.js';
import { findLiveArticle } from './articles.queries.js';
import type { LiveRow } from './live.queries.js';
import { toPublicArticle } from './articles.mappers.js';

/**
 * A version just became visible: published for the first time, or replacing a live one.
 * `formerCategoryIds`: the categories of the versions it replaced (an article may have moved).
 */
export async function emitWentLive(db: Db, articleId: number, replaced: boolean, now: Date, urls: MediaUrls, formerCategoryIds: Array<number | null>): Promise<void> {
  const row = await findLiveArticle(db, { id: articleId }, now);
  if (!row) return;
  await emitEvent(db, {
    type: replaced ? 'article.updated' : 'article.published', entityId: articleId, data: toPublicArticle(row, urls), at: now,
    purge: articleChangeKeys(articleId, [row.categoryId, ...formerCategoryIds]), timetable: true,
  });
}

/** A public version went away. Nothing is announced for an article that was never public. */
export async function emitWentAway(
  db: Db,
  type: 'article.unpublished' | 'article.archived' | 'article.deleted',
  wasVisible: LiveRow | undefined,
  now: Date,
): Promise<void> {
  if (!wasVisible) return;
  const id = wasVisible.articleId;
  await emitEvent(db, { type, entityId: id, data: { id, slug: wasVisible.slug }, at: now, purge: articleChangeKeys(id, [wasVisible.categoryId]), timetable: true });
}
