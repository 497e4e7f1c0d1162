import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord, sendRecordBytes } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf, sendCreated, useSchema } from '../../lib/route-helpers.js';
import { IdOrSlugParams, IdParams, ListQuerystring } from '../../lib/schemas.js';
import { pickFields } from '../../lib/sparse-fields.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { fieldsApplied, type RouteFields } from '../../plugins/sparse-fields.js';
import { PUBLIC_ARTICLE_FIELDS } from '../articles/articles.schemas.js';
import { Collection, CreateCollectionBody, PublicCollection, UpdateCollectionBody } from './collections.schemas.js';
import * as svc from './collections.service.js';

/**
 * `fields` on the public view chooses the fields of its `articles` (a front page of teasers);
 * on the staff record, the record's own fields.
 */
const fields: RouteFields = { anonymous: PUBLIC_ARTICLE_FIELDS, staff: Object.keys(Collection.properties) };

/** The public view with only `chosen` in each of its articles. */
function withArticleFields(json: Buffer, chosen: readonly string[]): Buffer {
  const view = JSON.parse(json.toString()) as { articles: Array<Record<string, unknown>> };
  return Buffer.from(JSON.stringify({ ...view, articles: view.articles.map((a) => pickFields(a, chosen)) }));
}

export const collectionsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['collections'];
  const write = { access: 'collection.write' as const };

  app.get('/', { config: { access: 'collection.read' }, schema: { tags, querystring: ListQuerystring, response: { 200: Type.Array(Collection) } } }, async (req, reply) =>
    sendList(req, reply, 'collections', await svc.listCollections(ctx, queryOf(req))),
  );

  // One URL, two shapes (as for articles): anonymous readers get the public view, the live
  // articles in the editors' order; staff the record with its `items`.
  app.get(
    '/:idOrSlug',
    {
      config: { access: 'public', publicCache: true, fields },
      schema: { tags, params: IdOrSlugParams, response: { 200: Type.Unsafe<unknown>(Type.Union([Collection, PublicCollection])) } },
    },
    async (req, reply) => {
      if (!req.actor) {
        const view = await svc.getPublicCollection(ctx, req.params.idOrSlug);
        setSurrogateKeys(reply, view.keys);
        if (!req.fields) return sendRecordBytes(reply, view.json);
        fieldsApplied(req);
        return sendRecordBytes(reply, withArticleFields(view.json, req.fields));
      }
      return sendRecord(useSchema(reply, Collection), await svc.getCollection(ctx, req.params.idOrSlug));
    },
  );

  app.post('/', { config: write, schema: { tags, body: CreateCollectionBody, response: { 201: Collection } } }, async (req, reply) => {
    const row = await svc.createCollection(ctx, req.body);
    return sendCreated(reply, `/api/v1/collections/${row.id}`, row);
  });

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/:id',
      config: write,
      schema: { tags, params: IdParams, body: UpdateCollectionBody, response: { 200: Collection } },
      handler: async (req, reply) => sendRecord(reply, await svc.updateCollection(ctx, idOf(req), req.body, ifMatchOf(req))),
    });
  }

  app.delete('/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Collection } } }, async (req) => svc.deleteCollection(ctx, idOf(req), ifMatchOf(req)));
};
