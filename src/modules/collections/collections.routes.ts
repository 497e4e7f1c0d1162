import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord, sendRecordBytes } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf, sendCreated, useSchema } from '../../lib/route-helpers.js';
import { IdOrSlugParams, IdParams, ListQuerystring } from '../../lib/schemas.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { Collection, CreateCollectionBody, PublicCollection, UpdateCollectionBody } from './collections.schemas.js';
import * as svc from './collections.service.js';

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
      config: { access: 'public', publicCache: true },
      schema: { tags, params: IdOrSlugParams, response: { 200: Type.Unsafe<unknown>(Type.Union([Collection, PublicCollection])) } },
    },
    async (req, reply) => {
      if (!req.actor) {
        const view = await svc.getPublicCollection(ctx, req.params.idOrSlug);
        setSurrogateKeys(reply, view.keys);
        return sendRecordBytes(reply, view.json);
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
