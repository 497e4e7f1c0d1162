import type { AppContext } from '../../context.js';
import { emitEvent } from '../../events/outbox.js';
import { listPage } from '../../lib/list-sql.js';
import { conflict, notFound } from '../../lib/problem.js';
import * as q from './deliveries.queries.js';
import { getWebhook } from './webhooks.service.js';

type Query = Record<string, string | string[] | undefined>;

export async function listDeliveries(ctx: AppContext, webhookId: number, query: Query) {
  await getWebhook(ctx, webhookId);
  return listPage(query, q.deliveryListSpec, (plan) => q.listDeliveries(ctx.db, plan), q.deliveriesOf(webhookId));
}

export async function getDelivery(ctx: AppContext, webhookId: number, id: string) {
  const row = await q.findDelivery(ctx.db, webhookId, id);
  if (!row) throw notFound('Delivery');
  return row;
}

/**
 * Sends a delivery again under the same id (receivers that already have it can drop it).
 * Due now: the dispatchers' next poll picks it up.
 */
export async function redeliver(ctx: AppContext, webhookId: number, id: string) {
  const row = await q.resetDelivery(ctx.db, webhookId, id, ctx.now());
  if (!row) throw notFound('Delivery');
  return row;
}

/** Queues a `ping` event for this webhook alone; its delivery is returned. */
export async function pingWebhook(ctx: AppContext, webhookId: number) {
  const webhook = await getWebhook(ctx, webhookId);
  if (!webhook.active) throw conflict('The webhook is inactive; activate it to receive a ping.');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const eventId = await emitEvent(tx, { type: 'ping', entityId: webhookId, data: { webhookId, events: webhook.events }, at: now, purge: [] });
    const delivery = await q.findDeliveryOfEvent(tx, webhookId, eventId);
    // Deactivated or deleted between the check above and the event's insert.
    if (!delivery) throw conflict('The webhook changed meanwhile; try again.');
    return delivery;
  });
}
