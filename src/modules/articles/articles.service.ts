import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import type { NewArticle } from './articles.queries.js';
import { parseListQuery } from '../../lib/list-query.js';
import { buildListPlan } from '../../lib/list-sql.js';
import { badRequest, forbidden, notFound, preconditionFailed, Problem } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { isIdLike, slugify } from '../../lib/slug.js';
import { writeWithFreeSlug } from '../../lib/slug-allocation.js';
import { normalizeDeep } from '../../lib/text.js';
import { type Actor, articleEditRefusal } from '../../policy/permissions.js';
import { INITIAL_STATUS } from '../../workflow/states.js';
import { findCategoryById } from '../categories/categories.queries.js';
import { cleanCredits, cleanTags } from './articles.input.js';
import { toPublicArticle, toStaffArticle } from './articles.mappers.js';
import * as q from './articles.queries.js';
import type { CreateArticleBody, UpdateArticleBody } from './articles.schemas.js';

const SLUG_FALLBACK = 'bai-viet';

export interface ArticleServiceDeps {
  sanitizeBody: (html: string) => string;
}

type Query = Record<string, string | string[] | undefined>;
type Content = Pick<Static<typeof UpdateArticleBody>, 'title' | 'summary' | 'body' | 'categoryId' | 'tags' | 'coverMediaId' | 'credits'>;

const lookup = (idOrSlug: string) => (isIdLike(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug.normalize('NFC') });

export async function listArticles(ctx: AppContext, actor: Actor | null, query: Query) {
  if (!actor) {
    const plan = await buildListPlan(parseListQuery(query, q.publicArticleListSpec), q.publicArticleListSpec, q.isPublic(ctx.now()));
    const { rows, total } = await q.listLiveArticles(ctx.db, plan);
    return { rows: rows.map(toPublicArticle), total, plan, public: true as const };
  }
  const plan = await buildListPlan(parseListQuery(query, q.staffArticleListSpec), q.staffArticleListSpec);
  const { rows, total } = await q.listWorkingArticles(ctx.db, plan);
  return { rows: rows.map(toStaffArticle), total, plan, public: false as const };
}

export async function getPublicArticle(ctx: AppContext, idOrSlug: string) {
  const row = await q.findLiveArticle(ctx.db, lookup(idOrSlug), ctx.now());
  if (!row) throw notFound('Article');
  return toPublicArticle(row);
}

export async function getStaffArticle(db: Db, idOrSlug: string) {
  const row = await q.findWorkingArticle(db, lookup(idOrSlug));
  if (!row) throw notFound('Article');
  return toStaffArticle(row);
}

/** Maps the writable content fields of a body to column values, checking references. */
async function contentValues(db: Db, deps: ArticleServiceDeps, body: Content): Promise<Partial<NewArticle>> {
  const v: Partial<NewArticle> = {};
  if (body.title !== undefined) {
    v.title = body.title.trim();
    if (v.title === '') throw badRequest('The title must not be blank.', [{ path: 'body.title', message: 'must not be blank' }]);
  }
  if (body.summary !== undefined) v.summary = body.summary.trim();
  if (body.body !== undefined) v.body = deps.sanitizeBody(body.body);
  if (body.categoryId !== undefined) {
    if (body.categoryId !== null && !(await findCategoryById(db, body.categoryId))) {
      throw badRequest('The category does not exist.', [{ path: 'body.categoryId', message: 'does not exist' }]);
    }
    v.categoryId = body.categoryId;
  }
  if (body.coverMediaId !== undefined) {
    // Media arrive with the media library; until then no id can refer to anything.
    if (body.coverMediaId !== null) throw badRequest('The cover media does not exist.', [{ path: 'body.coverMediaId', message: 'does not exist' }]);
    v.coverMediaId = null;
  }
  if (body.tags !== undefined) v.tags = cleanTags(body.tags);
  if (body.credits !== undefined) v.credits = cleanCredits(body.credits);
  return v;
}

/** actor null: created by the system (the seed), with no author. */
export async function createArticle(ctx: AppContext, deps: ArticleServiceDeps, actor: Actor | null, raw: Static<typeof CreateArticleBody>) {
  const body = normalizeDeep(raw);
  if (body.status !== undefined && body.status !== INITIAL_STATUS) {
    throw badRequest(`A new article starts as "${INITIAL_STATUS}"; change its status through the workflow.`, [{ path: 'body.status', message: `must be "${INITIAL_STATUS}"` }]);
  }
  return ctx.db.transaction(async (tx) => {
    const values = await contentValues(tx, deps, body);
    const explicit = body.slug !== undefined;
    const base = slugify(body.slug ?? body.title, SLUG_FALLBACK);
    const id = await writeWithFreeSlug(base, explicit, (b) => q.findArticleSlugsLike(tx, b), (slug) =>
      q.insertArticle(tx, { ...values, title: values.title!, slug, authorId: actor?.id ?? null, status: INITIAL_STATUS }),
    );
    return getStaffArticle(tx, String(id));
  });
}

function hasChanges(values: Partial<NewArticle>, current: q.ArticleRow): boolean {
  return Object.entries(values).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k as keyof q.ArticleRow]));
}

export async function updateArticle(ctx: AppContext, deps: ArticleServiceDeps, actor: Actor, id: number, raw: Static<typeof UpdateArticleBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  return ctx.db.transaction(async (tx) => {
    const current = await q.findArticleForUpdate(tx, id);
    if (!current) throw notFound('Article');
    checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);

    const values = await contentValues(tx, deps, body);
    const slug = body.slug !== undefined ? slugify(body.slug, SLUG_FALLBACK) : current.slug;
    const statusChange = body.status !== undefined && body.status !== current.status;
    if (!hasChanges({ ...values, slug }, current) && !statusChange) return getStaffArticle(tx, String(id));

    if (hasChanges({ ...values, slug }, current)) {
      const refusal = articleEditRefusal(actor, current);
      if (refusal === 'not_owner') throw forbidden('Authors may edit only their own articles.');
      if (refusal === 'not_draft') throw forbidden('Authors may edit their articles only while they are drafts.');
    }
    if (statusChange) {
      throw new Problem(409, 'invalid_transition', `The status cannot change from "${current.status}" to "${body.status}" by editing.`, undefined, { allowed: [] });
    }

    const write = async (s: string) => {
      if (!(await q.updateArticle(tx, id, current.version, { ...values, slug: s }, ctx.now()))) throw preconditionFailed(current.version);
    };
    if (slug === current.slug) await write(slug);
    else await writeWithFreeSlug(slug, true, (b) => q.findArticleSlugsLike(tx, b, id), write);
    return getStaffArticle(tx, String(id));
  });
}

export async function deleteArticle(ctx: AppContext, id: number, ifMatch: string | undefined) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.findArticleForUpdate(tx, id);
    if (!current) throw notFound('Article');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    const record = await getStaffArticle(tx, String(id));
    if (!(await q.deleteArticle(tx, id, current.version))) throw preconditionFailed(current.version);
    return record;
  });
}
