import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { jsonArray } from '../../lib/json-bytes.js';
import { coalescing } from '../../lib/coalesce.js';
import { type ListQuery, parseListQuery } from '../../lib/list-query.js';
import { buildListPlan, isBounded } from '../../lib/list-sql.js';
import { badRequest, forbidden, notFound, preconditionFailed } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import type { CleanOutcome } from '../../lib/sanitize-body.js';
import { isIdLike, slugify } from '../../lib/slug.js';
import { writeWithFreeSlug } from '../../lib/slug-allocation.js';
import { normalizeDeep } from '../../lib/text.js';
import { type Actor, articleEditRefusal } from '../../policy/permissions.js';
import { decideStatusChange, statusAfterEdit } from '../../workflow/machine.js';
import { INITIAL_STATUS, type Status } from '../../workflow/states.js';
import { findCategoryById } from '../categories/categories.queries.js';
import { findMediaById } from '../media/media.queries.js';
import { isImageType } from '../media/media.kinds.js';
import type { MediaUrls } from '../media/media.urls.js';
import { cleanBody, cleanCredits, cleanTags } from './articles.input.js';
import { toStaffArticle } from './articles.mappers.js';
import * as q from './articles.queries.js';
import * as reads from './article-reads.queries.js';
import type { NewArticle } from './articles.queries.js';
import type { CreateArticleBody, UpdateArticleBody } from './articles.schemas.js';
import { insertHistory } from './history.queries.js';
import { findVisibleLive, hasAnyLive, visibleAt } from './live.queries.js';
import { emitDeleted } from './article-events.js';
import { removeDeletedArticle } from '../collections/collection-events.js';
import { articleKeys, articleListKeys } from '../cache-keys.js';
import { insertRevision } from './revisions.queries.js';
import { applyTransition, refusalProblem } from './workflow.service.js';
import { publicLinks } from './public-article.js';
import { type ArticleSeo, EMPTY_SEO, mergeSeo, sameSeo, seoOf } from './article-seo.js';

const SLUG_FALLBACK = 'bai-viet';

export interface ArticleServiceDeps {
  sanitizeBody: (html: string) => Promise<CleanOutcome>;
}

type Query = Record<string, string | string[] | undefined>;
type Content = Pick<Static<typeof UpdateArticleBody>, 'title' | 'summary' | 'body' | 'categoryId' | 'tags' | 'coverMediaId' | 'credits' | 'seo'>;

const lookup = (idOrSlug: string) => (isIdLike(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug.normalize('NFC') });

/**
 * A page of articles as the JSON to send: live versions for anonymous readers, working copies for
 * staff. Public pages hold only `fields` when given (written so by the database); staff pages
 * hold every field (the route cuts them).
 */
export async function listArticles(ctx: AppContext, actor: Actor | null, query: Query, fields?: readonly string[]) {
  const spec = actor ? q.staffArticleListSpec : reads.publicArticleListSpec;
  const parsed = parseListQuery(query, spec);
  const page =
    !actor && isBounded(parsed, spec)
      ? await publicListsOf(ctx)(JSON.stringify([parsed, fields ?? null]), { parsed, fields, now: ctx.now() })
      : await listPage(ctx, actor, parsed, ctx.now(), fields);
  // Public lists name what they show, for caches to purge by (cache-keys.ts).
  return { ...page, keys: actor ? undefined : articleListKeys(page.rows.map((r) => Number(r.id))) };
}

async function listPage(ctx: AppContext, actor: Actor | null, parsed: ListQuery, now: Date, fields?: readonly string[]) {
  const filePrefix = ctx.mediaUrls.file('');
  const spec = actor ? q.staffArticleListSpec : reads.publicArticleListSpec;
  const plan = await buildListPlan(parsed, spec, actor ? undefined : visibleAt(now));
  const page = actor
    ? await reads.listWorkingArticlesJson(ctx.database, plan, now, filePrefix, ctx.counts)
    : await reads.listLiveArticlesJson(ctx.database, plan, now, publicLinks(ctx), ctx.counts, fields);
  return { ...page, plan, json: jsonArray(page.rows.map((r) => r.json)) };
}

// The same public page asked for by several readers at once is read once for all (coalesce.ts),
// as of the latest arrival among them. Only pages of bounded cost: a request that arrives while
// its page is being read waits for that read to end before its own starts.
type PublicListRequest = { parsed: ListQuery; fields: readonly string[] | undefined; now: Date };
const publicLists = new WeakMap<AppContext, (key: string, request: PublicListRequest) => ReturnType<typeof listPage>>();

function publicListsOf(ctx: AppContext) {
  let lists = publicLists.get(ctx);
  if (!lists) {
    lists = coalescing(
      (_key, { parsed, fields, now }: PublicListRequest) => listPage(ctx, null, parsed, now, fields),
      (a, b) => (b.now > a.now ? b : a),
    );
    publicLists.set(ctx, lists);
  }
  return lists;
}

/** The public article as the JSON bytes to send, and its surrogate keys. */
export async function getPublicArticle(ctx: AppContext, idOrSlug: string): Promise<{ json: Buffer; keys: string[] }> {
  const found = await reads.findLiveArticleJson(ctx.database, lookup(idOrSlug), ctx.now(), publicLinks(ctx));
  if (!found) throw notFound('Article');
  return { json: found.json, keys: articleKeys(found) };
}

export async function getStaffArticle(db: Db, idOrSlug: string, now: Date, urls: MediaUrls) {
  const row = await q.findWorkingArticle(db, lookup(idOrSlug), now);
  if (!row) throw notFound('Article');
  return toStaffArticle(row, urls);
}

/** An image that exists, for a cover or a social card; else a 400 keyed on `path`. */
async function assertImage(db: Db, id: number, path: string, what: string): Promise<void> {
  const found = await findMediaById(db, id);
  if (!found) throw badRequest(`The ${what} does not exist.`, [{ path, message: 'does not exist' }]);
  if (!isImageType(found.mimeType)) throw badRequest(`The ${what} must be an image.`, [{ path, message: 'is not an image' }]);
}

/**
 * Maps the writable content fields of a body to column values, checking references. `seo` parts
 * the body leaves out keep their values in `currentSeo`.
 */
async function contentValues(db: Db, body: Content, currentSeo: ArticleSeo = EMPTY_SEO): Promise<Partial<NewArticle>> {
  const v: Partial<NewArticle> = {};
  if (body.title !== undefined) {
    v.title = body.title.trim();
    if (v.title === '') throw badRequest('The title must not be blank.', [{ path: 'title', message: 'must not be blank' }]);
  }
  if (body.summary !== undefined) v.summary = body.summary.trim();
  if (body.body !== undefined) v.body = body.body;
  if (body.categoryId !== undefined) {
    if (body.categoryId !== null && !(await findCategoryById(db, body.categoryId))) {
      throw badRequest('The category does not exist.', [{ path: 'categoryId', message: 'does not exist' }]);
    }
    v.categoryId = body.categoryId;
  }
  if (body.coverMediaId !== undefined) {
    if (body.coverMediaId !== null) await assertImage(db, body.coverMediaId, 'coverMediaId', 'cover media');
    v.coverMediaId = body.coverMediaId;
  }
  if (body.seo !== undefined) {
    v.seo = mergeSeo(seoOf(currentSeo), body.seo);
    if (body.seo.ogImageId != null) await assertImage(db, body.seo.ogImageId, 'seo.ogImageId', 'social image (seo.ogImageId)');
  }
  if (body.tags !== undefined) v.tags = cleanTags(body.tags);
  if (body.credits !== undefined) v.credits = cleanCredits(body.credits);
  return v;
}

/** actor null: created by the system (the seed), with no author. */
export async function createArticle(ctx: AppContext, deps: ArticleServiceDeps, actor: Actor | null, raw: Static<typeof CreateArticleBody>) {
  const body = normalizeDeep(raw);
  if (body.body !== undefined) body.body = await cleanBody(deps.sanitizeBody, body.body);
  if (body.status !== undefined && body.status !== INITIAL_STATUS) {
    throw badRequest(`A new article starts as "${INITIAL_STATUS}"; change its status through the workflow.`, [{ path: 'status', message: `must be "${INITIAL_STATUS}"` }]);
  }
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const values = await contentValues(tx, body);
    // A slug that is absent or null is derived from the title (and numbered on a clash).
    const explicit = body.slug != null;
    const base = slugify(body.slug ?? body.title, SLUG_FALLBACK);
    const id = await writeWithFreeSlug(tx, base, explicit, (b) => q.findArticleSlugsLike(tx, b), (slug, sp) =>
      q.insertArticle(sp, { ...values, title: values.title!, slug, authorId: actor?.id ?? null, status: INITIAL_STATUS, createdAt: now, updatedAt: now }),
    );
    await insertRevision(tx, (await q.findArticleForUpdate(tx, id))!, actor?.id ?? null, now);
    return getStaffArticle(tx, String(id), now, ctx.mediaUrls);
  });
}

function changedValues(values: Partial<NewArticle>, current: q.ArticleRow): Partial<NewArticle> {
  // SEO settings compare in one key order (jsonb keeps its own).
  const same = (k: string, v: unknown) => (k === 'seo' ? sameSeo(v as ArticleSeo, current.seo) : JSON.stringify(v) === JSON.stringify(current[k as keyof q.ArticleRow]));
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => !same(k, v))) as Partial<NewArticle>;
}

const notOwner = () => forbidden('Authors may edit only their own articles.');

function assertMayEdit(actor: Actor, article: q.ArticleRow): void {
  const refusal = articleEditRefusal(actor, article);
  if (refusal === 'not_owner') throw notOwner();
  if (refusal === 'not_draft') throw forbidden('Authors may edit their articles only while they are drafts.');
}

/**
 * Saves content into the working copy: a revision is recorded, and a published or scheduled
 * article goes back to draft while its live version stays as it is (API.md §5).
 */
export async function saveWorkingCopy(tx: Db, actor: Actor, current: q.ArticleRow, changes: Partial<NewArticle>, now: Date, opts: { derivedSlug?: boolean } = {}) {
  assertMayEdit(actor, current);
  const status = statusAfterEdit(current.status);
  const write = async (slug: string, db: Db = tx) => {
    if (!(await q.updateArticle(db, current.id, current.version, { ...changes, slug, status }, now))) throw preconditionFailed(current.version);
  };
  if (changes.slug === undefined || changes.slug === current.slug) await write(current.slug);
  else await writeWithFreeSlug(tx, changes.slug, !opts.derivedSlug, (b) => q.findArticleSlugsLike(tx, b, current.id), write);
  if (status !== current.status) {
    await insertHistory(tx, { articleId: current.id, action: 'edit', fromStatus: current.status, toStatus: status, actorId: actor.id, at: now });
  }
  const saved = (await q.findArticleForUpdate(tx, current.id))!;
  await insertRevision(tx, saved, actor.id, now);
  return saved;
}

export async function updateArticle(ctx: AppContext, deps: ArticleServiceDeps, actor: Actor, id: number, raw: Static<typeof UpdateArticleBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  if (body.body !== undefined) body.body = await cleanBody(deps.sanitizeBody, body.body);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    let article = await q.findArticleForUpdate(tx, id);
    if (!article) throw notFound('Article');
    // Whose article it is decides before anything else (API.md §4): even a body that changes
    // nothing, or only names a status, is refused to an author who does not own it.
    if (articleEditRefusal(actor, article) === 'not_owner') throw notOwner();
    checkVersion(expectedVersion(ifMatch, body.version, article.version), article.version);
    const readStatus: Status = article.status;

    const values = await contentValues(tx, body, article.seo);
    // A null slug (a cleared input) is derived from the title again, numbered on a clash.
    if (body.slug !== undefined) values.slug = slugify(body.slug ?? values.title ?? article.title, SLUG_FALLBACK);
    const changes = changedValues(values, article);
    if (Object.keys(changes).length > 0) article = await saveWorkingCopy(tx, actor, article, changes, now, { derivedSlug: body.slug === null });

    // `status` as a field: a different value is a workflow action, checked after the edits above
    // and in the same transaction, so a refused transition leaves nothing changed.
    if (body.status !== undefined && body.status !== readStatus && body.status !== article.status) {
      const state = { status: article.status, authorId: article.authorId, hasLive: await hasAnyLive(tx, id) };
      const step = decideStatusChange(state, body.status, actor);
      if (!step.ok) throw refusalProblem(step, article.status);
      const publishAt = body.publishAt ? new Date(body.publishAt) : null;
      await applyTransition(tx, actor, article, { action: step.action, comment: body.comment, publishAt }, now, publicLinks(ctx));
    }
    return getStaffArticle(tx, String(id), now, ctx.mediaUrls);
  });
}

export async function deleteArticle(ctx: AppContext, id: number, ifMatch: string | undefined) {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await q.findArticleForUpdate(tx, id);
    if (!current) throw notFound('Article');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    const record = await getStaffArticle(tx, String(id), now, ctx.mediaUrls);
    const visible = await findVisibleLive(tx, id, now);
    // Out of every collection in this transaction, each collection a new version with its event
    // (the foreign key would drop the items silently).
    await removeDeletedArticle(tx, id, now);
    if (!(await q.deleteArticle(tx, id, current.version))) throw preconditionFailed(current.version);
    await emitDeleted(tx, id, visible, now);
    return record;
  });
}
