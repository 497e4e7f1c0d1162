// The article events frontends rebuild on. Payloads hold public fields only: the live version
// as anonymous readers get it, { id, slug } of what just stopped being public, or { id } alone of
// a deleted article that was not public (its slug and text were never public: they stay here).
import type { Db } from '../../db/client.js';
import type { MediaUrls } from '../media/media.urls.js';
import { emitEvent } from '../../events/outbox.js';
import { findLiveArticleJsonIn } from './articles.queries.js';
import type { LiveRow } from './live.queries.js';

/** A version just became visible: published for the first time, or replacing a live one. */
export async function emitWentLive(db: Db, articleId: number, replaced: boolean, now: Date, urls: MediaUrls): Promise<void> {
  // The very JSON the public API sends for it (public-article.ts).
  const json = await findLiveArticleJsonIn(db, articleId, now, urls.file(''));
  if (!json) return;
  await emitEvent(db, { type: replaced ? 'article.updated' : 'article.published', entityId: articleId, data: JSON.parse(json), at: now });
}

/** A public version went away. Nothing is announced for an article that was not public. */
export async function emitWentAway(db: Db, type: 'article.unpublished' | 'article.archived', wasVisible: LiveRow | undefined, now: Date): Promise<void> {
  if (!wasVisible) return;
  await emitEvent(db, { type, entityId: wasVisible.articleId, data: { id: wasVisible.articleId, slug: wasVisible.slug }, at: now });
}

/**
 * An article was deleted: always announced (a receiver may hold it from earlier events, or track
 * ids), with the slug only when it was public.
 */
export async function emitDeleted(db: Db, articleId: number, wasVisible: LiveRow | undefined, now: Date): Promise<void> {
  const data = wasVisible ? { id: articleId, slug: wasVisible.slug } : { id: articleId };
  await emitEvent(db, { type: 'article.deleted', entityId: articleId, data, at: now });
}
