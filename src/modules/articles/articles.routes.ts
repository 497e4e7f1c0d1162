import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendJsonBytes } from '../../lib/json-bytes.js';
import { setListHeaders } from '../../lib/list-reply.js';
import { sendRecord, sendRecordBytes } from '../../lib/record.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { idOf, ifMatchOf, queryOf, sendCreated, useSchema } from '../../lib/route-helpers.js';
import { IdOrSlugParams, IdParams, ListQuerystring } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { fieldsApplied, type RouteFields } from '../../plugins/sparse-fields.js';
import { Article, CreateArticleBody, PUBLIC_ARTICLE_FIELDS, PublicArticle, UpdateArticleBody } from './articles.schemas.js';
import * as svc from './articles.service.js';

const StaffList = Type.Array(Article);
const PublicList = Type.Array(PublicArticle);
/** The two shapes of one URL take different `fields`. */
const fields: RouteFields = { anonymous: PUBLIC_ARTICLE_FIELDS, staff: Object.keys(Article.properties) };

export const articlesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; deps: svc.ArticleServiceDeps }> = async (app, { ctx, deps }) => {
  const tags = ['articles'];

  // One URL, two shapes: anonymous readers get live versions with public fields only, staff the
  // working copies. PostgreSQL writes either JSON field by field (article-json.ts), so a private
  // field cannot slip through.
  app.get(
    '/',
    {
      config: { access: 'public', publicCache: true, fields },
      schema: { tags, querystring: ListQuerystring, response: { 200: Type.Unsafe<unknown>(Type.Union([StaffList, PublicList])) } },
    },
    async (req, reply) => {
      const result = await svc.listArticles(ctx, req.actor, queryOf(req), req.fields);
      // Public pages are written with only those fields by the database.
      if (!req.actor) fieldsApplied(req);
      setListHeaders(req, reply, 'articles', result.plan, result.rows, result.total);
      if (result.keys) setSurrogateKeys(reply, result.keys);
      return sendJsonBytes(reply, result.json);
    },
  );

  app.get(
    '/:idOrSlug',
    { config: { access: 'public', publicCache: true, fields }, schema: { tags, params: IdOrSlugParams, response: { 200: Type.Unsafe<unknown>(Type.Union([Article, PublicArticle])) } } },
    async (req, reply) => {
      if (!req.actor) {
        const article = await svc.getPublicArticle(ctx, req.params.idOrSlug);
        setSurrogateKeys(reply, article.keys);
        return sendRecordBytes(reply, article.json);
      }
      const article = await svc.getStaffArticle(ctx.db, req.params.idOrSlug, ctx.now(), ctx.mediaUrls);
      return sendRecord(useSchema(reply, Article), article);
    },
  );

  app.post('/', { config: { access: 'article.create' }, schema: { tags, body: CreateArticleBody, response: { 201: Article } } }, async (req, reply) => {
    const article = await svc.createArticle(ctx, deps, actorOf(req), req.body);
    return sendCreated(reply, `/api/v1/articles/${article.id}`, article);
  });

  // PUT and PATCH apply the same partial update: one route answers both.
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    config: { access: 'article.edit' },
    schema: { tags, params: IdParams, body: UpdateArticleBody, response: { 200: Article } },
    handler: async (req, reply) => sendRecord(reply, await svc.updateArticle(ctx, deps, actorOf(req), idOf(req), req.body, ifMatchOf(req))),
  });

  app.delete('/:id', { config: { access: 'article.delete' }, schema: { tags, params: IdParams, response: { 200: Article } } }, async (req) =>
    svc.deleteArticle(ctx, idOf(req), ifMatchOf(req)),
  );
};
