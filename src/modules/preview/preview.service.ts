import type { AppContext } from '../../context.js';
import { clientNetwork } from '../../lib/client-address.js';
import type { Budget, FailureLimiter } from '../../lib/failure-limiter.js';
import { listPage } from '../../lib/list-sql.js';
import { conflict, forbidden, notFound, tooManyRequests } from '../../lib/problem.js';
import { hashToken, newSecretToken } from '../../lib/secret-token.js';
import type { Actor } from '../../policy/permissions.js';
import { assertArticleExists } from '../articles/article-exists.js';
import { findArticleForUpdate } from '../articles/articles.queries.js';
import { findPreviewArticleJson } from '../articles/article-reads.queries.js';
import { publicLinks } from '../articles/public-article.js';
import * as q from './preview.queries.js';
import { DEFAULT_PREVIEW_SECONDS } from './preview.schemas.js';

const TOKEN_PREFIX = 'tsp';
const TOKEN_SHAPE = /^tsp_[A-Za-z0-9_-]{43}$/;
/** Failed lookups allowed per client address in the limiter's window. */
const MAX_PREVIEW_MISSES = 30;

type Query = Record<string, string | string[] | undefined>;

export function previewUrl(template: string | undefined, publicUrl: string, link: { token: string; slug: string; id: number }): string {
  if (!template) return `${publicUrl}/api/v1/preview/${link.token}`;
  return template
    .replaceAll('{token}', encodeURIComponent(link.token))
    .replaceAll('{slug}', encodeURIComponent(link.slug))
    .replaceAll('{id}', String(link.id));
}

export async function createPreviewLink(ctx: AppContext, actor: Actor, articleId: number, expiresIn = DEFAULT_PREVIEW_SECONDS) {
  const now = ctx.now();
  const article = await findArticleForUpdate(ctx.db, articleId);
  if (!article) throw notFound('Article');
  if (article.status === 'archived') throw conflict('An archived article cannot be previewed; restore it first.');
  const { token, hash } = newSecretToken(TOKEN_PREFIX);
  const link = await q.insertPreviewLink(ctx.db, {
    articleId, tokenHash: hash, createdBy: actor.id, expiresAt: new Date(now.getTime() + expiresIn * 1000), createdAt: now,
  });
  return { ...link, token, url: previewUrl(ctx.config.previewUrlTemplate, ctx.config.publicUrl, { token, slug: article.slug, id: articleId }) };
}

export async function listPreviewLinks(ctx: AppContext, articleId: number, query: Query) {
  await assertArticleExists(ctx.db, articleId);
  return listPage(query, q.previewLinkListSpec, (plan) => q.listPreviewLinks(ctx.db, plan), q.linksOf(articleId));
}

/** Its creator, editors and admins may revoke a link. */
export async function revokePreviewLink(ctx: AppContext, actor: Actor, articleId: number, linkId: number) {
  const link = await q.findPreviewLink(ctx.db, articleId, linkId);
  if (!link || link.revokedAt) throw notFound('Preview link');
  if (actor.role === 'author' && link.createdBy !== actor.id) throw forbidden('Authors may revoke only the preview links they made.');
  const revoked = await q.revokePreviewLink(ctx.db, linkId, ctx.now());
  if (!revoked) throw notFound('Preview link');
  return revoked;
}

/**
 * The working copy behind a token, in the public shape. Unknown, expired, revoked and malformed
 * tokens are one and the same 404. Each lookup takes a unit of the client's budget of misses
 * before it runs (so a burst of guesses gets no more lookups than the budget) and gives it back
 * when the token opens an article.
 */
export async function openPreview(ctx: AppContext, limiter: FailureLimiter, address: string, token: string): Promise<Buffer> {
  const budget: Budget = [`preview:${clientNetwork(address)}`, MAX_PREVIEW_MISSES];
  const wait = await limiter.reserve([budget]);
  if (wait > 0) throw tooManyRequests(wait);
  const now = ctx.now();
  const articleId = TOKEN_SHAPE.test(token) ? await q.findArticleIdByToken(ctx.db, hashToken(token), now) : undefined;
  const json = articleId === undefined ? undefined : await findPreviewArticleJson(ctx.db, articleId, publicLinks(ctx));
  if (json === undefined) throw notFound('Preview');
  await limiter.refund([budget[0]]);
  return Buffer.from(json);
}
