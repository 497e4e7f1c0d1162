import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { listPage } from '../../lib/list-sql.js';
import { badRequest, notFound, preconditionFailed } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { normalizeDeep } from '../../lib/text.js';
import { newWebhookSecret } from './signature.js';
import { targetProblem } from './target.js';
import type { CreateWebhookBody, UpdateWebhookBody } from './webhooks.schemas.js';
import * as q from './webhooks.queries.js';

type Query = Record<string, string | string[] | undefined>;

export async function listWebhooks(ctx: AppContext, query: Query) {
  return listPage(query, q.webhookListSpec, (plan) => q.listWebhooks(ctx.db, plan));
}

export async function getWebhook(ctx: AppContext, id: number) {
  const row = await q.findWebhookById(ctx.db, id);
  if (!row) throw notFound('Webhook');
  return row;
}

async function assertTargetAllowed(ctx: AppContext, url: string): Promise<void> {
  const problem = await targetProblem(url, ctx.config.webhookAllowPrivateTargets);
  if (problem) throw badRequest(`The webhook URL ${problem}.`, [{ path: 'url', message: problem }]);
}

/** A conditional write matched nothing: the webhook changed (412) or is gone (404). */
async function changedMeanwhile(ctx: AppContext, id: number): Promise<never> {
  throw preconditionFailed((await getWebhook(ctx, id)).version);
}

/** Order kept, duplicates dropped: `events` is a set. */
const uniqueEvents = (events: string[]) => [...new Set(events)];

export async function createWebhook(ctx: AppContext, raw: Static<typeof CreateWebhookBody>) {
  const body = normalizeDeep(raw);
  const url = body.url.trim();
  await assertTargetAllowed(ctx, url);
  return q.insertWebhook(ctx.db, {
    url,
    events: uniqueEvents(body.events),
    active: body.active ?? true,
    description: body.description?.trim() ?? '',
    secret: newWebhookSecret(),
  });
}

export async function updateWebhook(ctx: AppContext, id: number, raw: Static<typeof UpdateWebhookBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  const current = await getWebhook(ctx, id);
  checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);
  const values: Partial<q.NewWebhook> = {};
  if (body.url !== undefined && body.url.trim() !== current.url) {
    values.url = body.url.trim();
    await assertTargetAllowed(ctx, values.url);
  }
  if (body.events !== undefined) values.events = uniqueEvents(body.events);
  if (body.active !== undefined) values.active = body.active;
  if (body.description !== undefined) values.description = body.description.trim();
  const row = await q.updateWebhook(ctx.db, id, current.version, values, ctx.now());
  if (!row) return changedMeanwhile(ctx, id);
  return row;
}

/** A new secret, effective at once; the response is the only place it is shown. */
export async function rotateSecret(ctx: AppContext, id: number, ifMatch: string | undefined) {
  const current = await getWebhook(ctx, id);
  checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
  const row = await q.replaceSecret(ctx.db, id, current.version, newWebhookSecret(), ctx.now());
  if (!row) return changedMeanwhile(ctx, id);
  return row;
}

export async function deleteWebhook(ctx: AppContext, id: number, ifMatch: string | undefined) {
  const current = await getWebhook(ctx, id);
  checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
  const row = await q.deleteWebhook(ctx.db, id, current.version);
  if (!row) return changedMeanwhile(ctx, id);
  return row;
}
