// The article events frontends rebuild on. Payloads hold public fields only: the live version
// as anonymous readers get it, or { id, slug } of what just stopped being public.
import type { Db } from '../../db/client.js';
import type { MediaUrls } from '../media/media.urls.js';
import { emitEvent } from '../../events/outbox.js';
import { findLiveArticle } from './articles.queries.js';
import type { LiveRow } from './live.queries.js';
import { toPublicArticle } from './articles.mappers.js';

/** A version just became visible: published for the first time, or replacing a live one. */
export async function emitWentLive(db: Db, articleId: number, replaced: boolean, now: Date, urls: MediaUrls): Promise<void> {
  const row = await findLiveArticle(db, { id: articleId }, now);
  if (!row) return;
  await emitEvent(db, { type: replaced ? 'article.updated' : 'article.published', entityId: articleId, data: toPublicArticle(row, urls), at: now });
}

/** A public version went away. Nothing is announced for an article that was never public. */
export async function emitWentAway(
  db: Db,
  type: 'article.unpublished' | 'article.archived' | 'article.deleted',
  wasVisible: LiveRow | undefined,
  now: Date,
): Promise<void> {
  if (!wasVisible) return;
  await emitEvent(db, { type, entityId: wasVisible.articleId, data: { id: wasVisible.articleId, slug: wasVisible.slug }, at: now });
}
