import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { emitEvent } from '../../events/outbox.js';
import { categoryChangeKeys } from '../cache-keys.js';
import type { Db } from '../../db/client.js';
import { listPage } from '../../lib/list-sql.js';
import { badRequest, conflict, notFound, preconditionFailed } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { isIdLike, slugify } from '../../lib/slug.js';
import { writeWithFreeSlug } from '../../lib/slug-allocation.js';
import { normalizeDeep } from '../../lib/text.js';
import { fillUrlTemplate } from '../../lib/url-template.js';
import type { CreateCategoryBody, UpdateCategoryBody } from './categories.schemas.js';
import * as q from './categories.queries.js';

const SLUG_FALLBACK = 'chuyen-muc';

/** A category as the API shows it: with `url`, where the website shows it (CATEGORY_URL_TEMPLATE). */
function withUrl<T extends { id: number; slug: string }>(ctx: AppContext, row: T): T & { url: string } {
  return { ...row, url: fillUrlTemplate(ctx.config.site.categoryUrl, { id: String(row.id), slug: row.slug }) };
}

export async function listCategories(ctx: AppContext, query: Record<string, string | string[] | undefined>) {
  const page = await listPage(query, q.categoryListSpec, (plan) => q.listCategories(ctx.db, plan));
  return { ...page, rows: page.rows.map((row) => withUrl(ctx, row)) };
}

export async function getCategory(ctx: AppContext, idOrSlug: string) {
  const row = isIdLike(idOrSlug) ? await q.findCategoryById(ctx.db, Number(idOrSlug)) : await q.findCategoryBySlug(ctx.db, idOrSlug.normalize('NFC'));
  if (!row) throw notFound('Category');
  return withUrl(ctx, row);
}

async function assertParentAllowed(db: Db, id: number | null, parentId: number | null | undefined): Promise<void> {
  if (parentId === null || parentId === undefined) return;
  if (!(await q.findCategoryById(db, parentId))) throw badRequest('The parent category does not exist.', [{ path: 'parentId', message: 'does not exist' }]);
  if (id !== null && (parentId === id || (await q.findAncestorIds(db, parentId)).includes(id))) {
    throw conflict('A category cannot be moved under itself or one of its descendants.', [{ path: 'parentId', message: 'would make a cycle' }]);
  }
}

export async function createCategory(ctx: AppContext, raw: Static<typeof CreateCategoryBody>) {
  const body = normalizeDeep(raw);
  // A slug that is absent or null is derived from the name (and numbered on a clash).
  const explicit = body.slug != null;
  const base = slugify(body.slug ?? body.name, SLUG_FALLBACK);
  return ctx.db.transaction(async (tx) => {
    await q.lockCategoryTree(tx);
    await assertParentAllowed(tx, null, body.parentId);
    const inserted = await writeWithFreeSlug(tx, base, explicit, (b) => q.findCategorySlugsLike(tx, b), (slug, sp) =>
      q.insertCategory(sp, {
        name: body.name.trim(),
        slug,
        description: body.description ?? '',
        parentId: body.parentId ?? null,
        position: body.position ?? 0,
      }),
    );
    const row = withUrl(ctx, inserted);
    await emitEvent(tx, { type: 'category.created', entityId: row.id, data: row, at: ctx.now(), purge: categoryChangeKeys(row.id) });
    return row;
  });
}

export async function updateCategory(ctx: AppContext, id: number, raw: Static<typeof UpdateCategoryBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  return ctx.db.transaction(async (tx) => {
    await q.lockCategoryTree(tx);
    const current = await q.findCategoryById(tx, id);
    if (!current) throw notFound('Category');
    checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);
    if (body.parentId !== undefined && body.parentId !== current.parentId) await assertParentAllowed(tx, id, body.parentId);

    const values: Partial<q.NewCategory> = {};
    if (body.name !== undefined) values.name = body.name.trim();
    if (body.description !== undefined) values.description = body.description;
    if (body.parentId !== undefined) values.parentId = body.parentId;
    if (body.position !== undefined) values.position = body.position;
    // A null slug (a cleared input) is derived from the name again, numbered on a clash.
    const newSlug = body.slug !== undefined ? slugify(body.slug ?? values.name ?? current.name, SLUG_FALLBACK) : current.slug;
    const write = async (slug: string, db: Db = tx) => {
      const updated = await q.updateCategory(db, id, current.version, { ...values, slug }, ctx.now());
      if (!updated) throw preconditionFailed(current.version);
      const row = withUrl(ctx, updated);
      await emitEvent(db, { type: 'category.updated', entityId: row.id, data: row, at: ctx.now(), purge: categoryChangeKeys(row.id) });
      return row;
    };
    if (newSlug === current.slug) return write(current.slug);
    return writeWithFreeSlug(tx, newSlug, body.slug !== null, (b) => q.findCategorySlugsLike(tx, b, id), write);
  });
}

export async function deleteCategory(ctx: AppContext, id: number, ifMatch: string | undefined) {
  return ctx.db.transaction(async (tx) => {
    await q.lockCategoryTree(tx);
    const current = await q.findCategoryById(tx, id);
    if (!current) throw notFound('Category');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    const usage = await q.categoryUsage(tx, id);
    if (usage.children > 0) throw conflict(`The category has ${usage.children} sub-categories; move or delete them first.`);
    if (usage.articles > 0) throw conflict('The category still has articles; move them to another category first.');
    const row = await q.deleteCategory(tx, id, current.version);
    if (!row) throw preconditionFailed(current.version);
    await emitEvent(tx, { type: 'category.deleted', entityId: row.id, data: { id: row.id, slug: row.slug }, at: ctx.now(), purge: categoryChangeKeys(row.id) });
    return withUrl(ctx, row);
  });
}
