import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf, sendCreated } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookWithSecret } from './webhooks.schemas.js';
import * as svc from './webhooks.service.js';

export const webhooksRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const config = { access: 'webhook.manage' as const };
  const tags = ['webhooks'];

  app.get('/', { config, schema: { tags, querystring: ListQuerystring, response: { 200: Type.Array(Webhook) } } }, async (req, reply) =>
    sendList(req, reply, 'webhooks', await svc.listWebhooks(ctx, queryOf(req))),
  );

  app.get('/:id', { config, schema: { tags, params: IdParams, response: { 200: Webhook } } }, async (req, reply) =>
    sendRecord(reply, await svc.getWebhook(ctx, idOf(req))),
  );

  app.post('/', { config, schema: { tags, body: CreateWebhookBody, response: { 201: WebhookWithSecret } } }, async (req, reply) => {
    const row = await svc.createWebhook(ctx, req.body);
    return sendCreated(reply, `/api/v1/webhooks/${row.id}`, row);
  });

  // PUT and PATCH apply the same partial update: one route answers both.
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    config,
    schema: { tags, params: IdParams, body: UpdateWebhookBody, response: { 200: Webhook } },
    handler: async (req, reply) => sendRecord(reply, await svc.updateWebhook(ctx, idOf(req), req.body, ifMatchOf(req))),
  });

  app.delete('/:id', { config, schema: { tags, params: IdParams, response: { 200: Webhook } } }, async (req) =>
    svc.deleteWebhook(ctx, idOf(req), ifMatchOf(req)),
  );

  // No body: the precondition, if any, comes in If-Match.
  app.post('/:id/rotate-secret', { config, schema: { tags, params: IdParams, response: { 200: WebhookWithSecret } } }, async (req, reply) =>
    sendRecord(reply, await svc.rotateSecret(ctx, idOf(req), ifMatchOf(req))),
  );
};
