import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { listPage } from '../../lib/list-sql.js';
import { badRequest, notFound, preconditionFailed } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { isIdLike, slugify } from '../../lib/slug.js';
import { writeWithFreeSlug } from '../../lib/slug-allocation.js';
import { normalizeDeep } from '../../lib/text.js';
import { collectionKeys } from '../cache-keys.js';
import { publicLinks } from '../articles/public-article.js';
import { emitCollectionEvent } from './collection-events.js';
import { duplicateItem, unknownItems } from './collection-items.js';
import { type CreateCollectionBody, DEFAULT_MAX_ITEMS, type UpdateCollectionBody } from './collections.schemas.js';
import * as q from './collections.queries.js';

const SLUG_FALLBACK = 'bo-suu-tap';

type Query = Record<string, string | string[] | undefined>;
const lookup = (idOrSlug: string) => (isIdLike(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug.normalize('NFC') });

export async function listCollections(ctx: AppContext, query: Query) {
  return listPage(query, q.collectionListSpec, (plan) => q.listCollections(ctx.db, plan));
}

export async function getCollection(ctx: AppContext, idOrSlug: string): Promise<q.CollectionRow> {
  const row = await q.findCollection(ctx.db, lookup(idOrSlug));
  if (!row) throw notFound('Collection');
  return row;
}

/**
 * The public view as the JSON to send: the collection and its first maxItems live articles, each
 * the very JSON the article endpoint sends (public-article.ts), joined without parsing.
 */
export async function getPublicCollection(ctx: AppContext, idOrSlug: string): Promise<{ json: Buffer; keys: string[] }> {
  const c = await getCollection(ctx, idOrSlug);
  const shown = await q.findShownArticles(ctx.db, c.id, c.maxItems, ctx.now(), publicLinks(ctx));
  const head = JSON.stringify({ id: c.id, name: c.name, slug: c.slug, description: c.description, maxItems: c.maxItems, createdAt: c.createdAt, updatedAt: c.updatedAt });
  const json = `${head.slice(0, -1)},"articles":[${shown.map((a) => a.json).join(',')}]}`;
  return { json: Buffer.from(json), keys: collectionKeys(c.id, shown) };
}

/**
 * Checks `items` (each once, each an existing article) and locks those articles against
 * deletion until the write commits. Before the collection's own lock: every writer that locks
 * both (a collection write, an article delete) takes the article first.
 */
async function checkedItems(db: Db, items: number[] | undefined): Promise<number[] | undefined> {
  if (items === undefined) return undefined;
  const dup = duplicateItem(items);
  if (dup) throw badRequest('An article may appear once in a collection.', [dup]);
  const missing = unknownItems(items, await q.lockExistingArticles(db, items));
  if (missing) throw badRequest('Some items are not articles.', [missing]);
  return items;
}

export async function createCollection(ctx: AppContext, raw: Static<typeof CreateCollectionBody>) {
  const body = normalizeDeep(raw);
  const explicit = body.slug != null;
  const base = slugify(body.slug ?? body.name, SLUG_FALLBACK);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const items = (await checkedItems(tx, body.items)) ?? [];
    const head = await writeWithFreeSlug(tx, base, explicit, (b) => q.findCollectionSlugsLike(tx, b), (slug, sp) =>
      q.insertCollection(sp, { name: body.name.trim(), slug, description: body.description ?? '', maxItems: body.maxItems ?? DEFAULT_MAX_ITEMS, createdAt: now, updatedAt: now }),
    );
    await q.replaceItems(tx, head.id, items);
    await emitCollectionEvent(tx, 'collection.created', head, now);
    return { ...head, items };
  });
}

export async function updateCollection(ctx: AppContext, id: number, raw: Static<typeof UpdateCollectionBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const items = await checkedItems(tx, body.items);
    // Locked: of two editors reordering from the same version, the second reads the first's
    // version here and gets a 412.
    const current = await q.findCollectionForUpdate(tx, id);
    if (!current) throw notFound('Collection');
    checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);

    const values: Partial<q.NewCollection> = {};
    if (body.name !== undefined) values.name = body.name.trim();
    if (body.description !== undefined) values.description = body.description;
    if (body.maxItems !== undefined) values.maxItems = body.maxItems;
    const newSlug = body.slug !== undefined ? slugify(body.slug ?? values.name ?? current.name, SLUG_FALLBACK) : current.slug;
    const write = async (slug: string, db: Db = tx) => {
      const head = await q.updateCollection(db, id, current.version, { ...values, slug }, now);
      if (!head) throw preconditionFailed(current.version);
      return head;
    };
    const head = newSlug === current.slug ? await write(current.slug) : await writeWithFreeSlug(tx, newSlug, body.slug !== null, (b) => q.findCollectionSlugsLike(tx, b, id), write);
    if (items !== undefined) await q.replaceItems(tx, id, items);
    await emitCollectionEvent(tx, 'collection.updated', head, now);
    return (await q.findCollection(tx, { id }))!;
  });
}

export async function deleteCollection(ctx: AppContext, id: number, ifMatch: string | undefined) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await q.findCollectionForUpdate(tx, id);
    if (!current) throw notFound('Collection');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    const record = (await q.findCollection(tx, { id }))!;
    if (!(await q.deleteCollection(tx, id, current.version))) throw preconditionFailed(current.version);
    await emitCollectionEvent(tx, 'collection.deleted', current, now);
    return record;
  });
}
