import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord } from '../../lib/record.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { categoryKeys, categoryListKeys } from '../cache-keys.js';
import { idOf, ifMatchOf, queryOf, sendCreated } from '../../lib/route-helpers.js';
import { IdOrSlugParams, IdParams, ListQuerystring } from '../../lib/schemas.js';
import { Category, CreateCategoryBody, UpdateCategoryBody } from './categories.schemas.js';
import * as svc from './categories.service.js';

export const categoriesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['categories'];
  const write = { access: 'category.write' as const };

  app.get('/', { config: { access: 'public', publicCache: true }, schema: { tags, querystring: ListQuerystring, response: { 200: Type.Array(Category) } } }, async (req, reply) => {
    const result = await svc.listCategories(ctx, queryOf(req));
    setSurrogateKeys(reply, categoryListKeys(result.rows.map((r) => r.id)));
    return sendList(req, reply, 'categories', result);
  });

  app.get('/:idOrSlug', { config: { access: 'public', publicCache: true }, schema: { tags, params: IdOrSlugParams, response: { 200: Category } } }, async (req, reply) => {
    const category = await svc.getCategory(ctx, req.params.idOrSlug);
    setSurrogateKeys(reply, categoryKeys(category.id));
    return sendRecord(reply, category);
  });

  app.post('/', { config: write, schema: { tags, body: CreateCategoryBody, response: { 201: Category } } }, async (req, reply) => {
    const row = await svc.createCategory(ctx, req.body);
    return sendCreated(reply, `/api/v1/categories/${row.id}`, row);
  });

  // PUT and PATCH apply the same partial update: one route answers both.
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    config: write,
    schema: { tags, params: IdParams, body: UpdateCategoryBody, response: { 200: Category } },
    handler: async (req, reply) => sendRecord(reply, await svc.updateCategory(ctx, idOf(req), req.body, ifMatchOf(req))),
  });

  app.delete('/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Category } } }, async (req) =>
    svc.deleteCategory(ctx, idOf(req), ifMatchOf(req)),
  );
};
