// Registers webhooks and reads their deliveries through the real API.
import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.js';

export const ALL_EVENTS = [
  'article.published', 'article.updated', 'article.unpublished', 'article.archived', 'article.deleted',
  'category.created', 'category.updated', 'category.deleted',
  'media.created', 'media.updated', 'media.deleted',
];

export interface Hook {
  id: number;
  secret: string;
  version: number;
}

/** Through `via` (another instance) or the test app itself, as the admin. */
export async function createHook(ta: TestApp, url: string, events: string[] = ALL_EVENTS, via?: FastifyInstance): Promise<Hook> {
  const opts = { method: 'POST' as const, url: '/api/v1/webhooks', payload: { url, events } };
  const res = via ? await via.inject({ ...opts, headers: { authorization: `Bearer ${ta.users.admin.token}` } }) : await ta.req('admin', opts);
  if (res.statusCode !== 201) throw new Error(`webhook create failed: ${res.body}`);
  return res.json();
}

export async function deliveriesOf(ta: TestApp, hookId: number, query = '') {
  const res = await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hookId}/deliveries${query}` });
  if (res.statusCode !== 200) throw new Error(`deliveries failed: ${res.body}`);
  return res.json() as Array<{ id: string; event: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; nextAttemptAt: string | null }>;
}

/**
 * Waits until no delivery of the hook is pending, i.e. every attempt the dispatcher will ever
 * make for what happened so far has been made and recorded: after it, a receiver that got
 * nothing more will get nothing more. Deliveries are written with their event, in the same
 * transaction, so a change that has been answered already has its deliveries.
 */
export async function settled(ta: TestApp, hookId: number, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while ((await deliveriesOf(ta, hookId, '?status=pending')).length > 0) {
    if (Date.now() > end) throw new Error(`webhook ${hookId}: deliveries still pending after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Deactivates a hook so that later tests' events do not reach it. */
export async function retire(ta: TestApp, hookId: number): Promise<void> {
  await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hookId}`, payload: { active: false } });
}
