import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { budgetStoreFor } from '../../db/failure-budget-store.js';
import { FailureLimiter } from '../../lib/failure-limiter.js';
import { sendJsonBytes } from '../../lib/json-bytes.js';
import { sendList } from '../../lib/list-reply.js';
import { idOf, queryOf, sendCreated } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { PreviewArticle } from '../articles/articles.schemas.js';
import { CreatedPreviewLink, CreatePreviewLinkBody, LinkParams, PreviewLink, TokenParams } from './preview.schemas.js';
import * as svc from './preview.service.js';

export const previewLinksRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['preview'];
  const access = { access: 'article.read-working' as const };

  app.post('/:id/preview-links', { config: access, schema: { tags, params: IdParams, body: CreatePreviewLinkBody, response: { 201: CreatedPreviewLink } } }, async (req, reply) => {
    const link = await svc.createPreviewLink(ctx, actorOf(req), idOf(req), req.body.expiresIn);
    // The token is in the body only; the Location names the link, not the secret.
    return sendCreated(reply, `/api/v1/articles/${link.articleId}/preview-links/${link.id}`, link);
  });

  app.get('/:id/preview-links', { config: access, schema: { tags, params: IdParams, querystring: ListQuerystring, response: { 200: Type.Array(PreviewLink) } } }, async (req, reply) =>
    sendList(req, reply, 'preview-links', await svc.listPreviewLinks(ctx, idOf(req), queryOf(req))),
  );

  app.delete('/:id/preview-links/:linkId', { config: access, schema: { tags, params: LinkParams, response: { 200: PreviewLink } } }, async (req) =>
    svc.revokePreviewLink(ctx, actorOf(req), req.params.id, req.params.linkId),
  );
};

export const previewRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const limiter = new FailureLimiter(budgetStoreFor(ctx.database), { windowMs: 15 * 60_000 }, () => ctx.now().getTime());

  // The JSON is written by PostgreSQL from the public article's one definition (public-article.ts).
  const response = { 200: Type.Unsafe<unknown>(PreviewArticle) };
  app.get('/:token', { config: { access: 'public' }, schema: { tags: ['preview'], params: TokenParams, response } }, async (req, reply) => {
    // Set before the lookup so that the 404 carries them too.
    reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex, nofollow');
    return sendJsonBytes(reply, await svc.openPreview(ctx, limiter, req.ip, req.params.token));
  });
};
