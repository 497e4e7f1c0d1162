// Collection events (API.md §8, §10). Payloads hold public fields only: the collection as the
// public view describes it, with the ids of the articles it shows, not the private `items` (which
// may name drafts). The articles module calls the member functions in the transaction of each
// article change, so a front page changes, and says so, with the article.
import type { Db } from '../../db/client.js';
import { emitEvent } from '../../events/outbox.js';
import { collectionChangeKeys } from '../cache-keys.js';
import * as q from './collections.queries.js';

type CollectionEventType = 'collection.created' | 'collection.updated' | 'collection.deleted';

async function publicData(db: Db, c: q.CollectionHead, now: Date) {
  const articleIds = await q.findShownIds(db, c.id, c.maxItems, now);
  return { id: c.id, name: c.name, slug: c.slug, description: c.description, maxItems: c.maxItems, createdAt: c.createdAt, updatedAt: c.updatedAt, articleIds };
}

export async function emitCollectionEvent(db: Db, type: CollectionEventType, c: q.CollectionHead, now: Date): Promise<void> {
  const data = type === 'collection.deleted' ? { id: c.id, slug: c.slug } : await publicData(db, c, now);
  await emitEvent(db, { type, entityId: c.id, data, at: now, purge: collectionChangeKeys(c.id) });
}

/** An article went live, changed live, or went away: one event per collection whose view shows it (or did). */
export async function emitMemberChanged(db: Db, articleId: number, now: Date): Promise<void> {
  const heads = await q.findCollectionHeads(db, await q.collectionsShowing(db, articleId, now));
  for (const c of heads) await emitCollectionEvent(db, 'collection.updated', c, now);
}

/** An article is being deleted: out of every collection first, each a new version and an event. */
export async function removeDeletedArticle(db: Db, articleId: number, now: Date): Promise<void> {
  const heads = await q.findCollectionHeads(db, await q.removeArticleFromAll(db, articleId, now));
  for (const c of heads) await emitCollectionEvent(db, 'collection.updated', c, now);
}
