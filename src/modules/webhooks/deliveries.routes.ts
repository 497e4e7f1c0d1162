// A webhook's deliveries, redelivery and ping (API.md §8).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord } from '../../lib/record.js';
import { idOf, queryOf } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { Delivery, DeliveryParams } from './webhooks.schemas.js';
import * as svc from './deliveries.service.js';

export const deliveriesRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const config = { access: 'webhook.manage' as const };
  const tags = ['webhooks'];

  app.get('/:id/deliveries', { config, schema: { tags, params: IdParams, querystring: ListQuerystring, response: { 200: Type.Array(Delivery) } } }, async (req, reply) =>
    sendList(req, reply, 'deliveries', await svc.listDeliveries(ctx, idOf(req), queryOf(req))),
  );

  app.get('/:id/deliveries/:deliveryId', { config, schema: { tags, params: DeliveryParams, response: { 200: Delivery } } }, async (req, reply) =>
    sendRecord(reply, await svc.getDelivery(ctx, idOf(req), req.params.deliveryId)),
  );

  // 202: queued, not yet sent; the answer is the delivery to watch.
  app.post('/:id/deliveries/:deliveryId/redeliver', { config, schema: { tags, params: DeliveryParams, response: { 202: Delivery } } }, async (req, reply) =>
    reply.code(202).send(await svc.redeliver(ctx, idOf(req), req.params.deliveryId)),
  );

  app.post('/:id/ping', { config, schema: { tags, params: IdParams, response: { 202: Delivery } } }, async (req, reply) =>
    reply.code(202).send(await svc.pingWebhook(ctx, idOf(req))),
  );
};
