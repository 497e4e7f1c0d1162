// The article events frontends rebuild on. Payloads hold public fields only: the live version
// as anonymous readers get it, { id, slug } of what just stopped being public, or { id } alone of
// a deleted article that was not public (its slug and text were never public: they stay here).
// Each names the surrogate keys it changed (cache-keys.ts) and moves the publication timetable.
import type { Db } from '../../db/client.js';
import { emitEvent } from '../../events/outbox.js';
import { articleChangeKeys } from '../cache-keys.js';
import { emitMemberChanged } from '../collections/collection-events.js';
import { findLiveArticleJsonIn } from './article-reads.queries.js';
import type { PublicLinks } from './public-article.js';
import type { LiveRow } from './live.queries.js';

/**
 * A version just became visible: published for the first time, or replacing a live one.
 * `formerCategoryIds`: the categories of the versions it replaced (an article may have moved).
 */
export async function emitWentLive(db: Db, articleId: number, replaced: boolean, now: Date, links: PublicLinks, formerCategoryIds: Array<number | null>): Promise<void> {
  // The very JSON the public API sends for it (public-article.ts).
  const json = await findLiveArticleJsonIn(db, articleId, now, links);
  if (!json) return;
  const data = JSON.parse(json) as { categoryId: number | null };
  await emitEvent(db, {
    type: replaced ? 'article.updated' : 'article.published', entityId: articleId, data, at: now,
    purge: articleChangeKeys(articleId, [data.categoryId, ...formerCategoryIds]), timetable: true,
  });
  // The front pages that show it change with it (API.md §10).
  await emitMemberChanged(db, articleId, now);
}

/** A public version went away. Nothing is announced for an article that was not public. */
export async function emitWentAway(db: Db, type: 'article.unpublished' | 'article.archived', wasVisible: LiveRow | undefined, now: Date): Promise<void> {
  if (!wasVisible) return;
  const id = wasVisible.articleId;
  await emitEvent(db, { type, entityId: id, data: { id, slug: wasVisible.slug }, at: now, purge: articleChangeKeys(id, [wasVisible.categoryId]), timetable: true });
  await emitMemberChanged(db, id, now);
}

/**
 * An article was deleted: always announced (a receiver may hold it from earlier events, or track
 * ids), with the slug only when it was public; only then did a public answer change.
 */
export async function emitDeleted(db: Db, articleId: number, wasVisible: LiveRow | undefined, now: Date): Promise<void> {
  const data = wasVisible ? { id: articleId, slug: wasVisible.slug } : { id: articleId };
  const purge = wasVisible ? articleChangeKeys(articleId, [wasVisible.categoryId]) : [];
  await emitEvent(db, { type: 'article.deleted', entityId: articleId, data, at: now, purge, timetable: true });
}
