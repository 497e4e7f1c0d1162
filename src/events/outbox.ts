// Domain events (Ghost's "published", "unpublished", …) recorded in the caller's transaction.
// pg_notify inside the same transaction is delivered only on commit, so every instance on the
// database hears about committed changes only: the signal for caches and webhook dispatchers.
// The webhook deliveries of an event are written in that same transaction too, so a committed
// event always has them (no separate fan-out step that a crash could interrupt).
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { events } from '../db/schema/index.js';
import { insertDeliveriesForEvent } from '../modules/webhooks/deliveries.queries.js';

export const EVENT_TYPES = [
  'article.published', 'article.updated', 'article.unpublished', 'article.archived', 'article.deleted',
  'category.created', 'category.updated', 'category.deleted',
  'media.created', 'media.updated', 'media.deleted',
  'ping',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENTS_CHANNEL = 'toasoan_events';

export interface EventNotice {
  /** The outbox row, or 0 for a notice that is not an event (a schedule was set or cancelled). */
  id: number;
  type: EventType | 'article.scheduled';
  entityType: string;
  entityId: number;
}

/**
 * Notices raised while serving one request. Other instances hear them through LISTEN a moment
 * after commit; the instance that made the change applies them itself before it answers, so a
 * client reads its own writes.
 */
export const requestNotices = new AsyncLocalStorage<EventNotice[]>();

async function notify(db: Db, notice: EventNotice): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`);
  requestNotices.getStore()?.push(notice);
}

/**
 * Tells caches (not webhooks) that the timetable of what becomes public changed: a scheduled
 * version appears later without any other event.
 */
export function notifyScheduleChange(db: Db, articleId: number): Promise<void> {
  return notify(db, { id: 0, type: 'article.scheduled', entityType: 'article', entityId: articleId });
}

export async function emitEvent(db: Db, e: { type: EventType; entityId: number; data: unknown; at: Date }): Promise<number> {
  const entityType = e.type.split('.')[0];
  const [row] = await db
    .insert(events)
    .values({ type: e.type, entityType, entityId: e.entityId, data: e.data, createdAt: e.at })
    .returning({ id: events.id });
  await insertDeliveriesForEvent(db, { id: row.id, type: e.type, entityType, entityId: e.entityId, at: e.at });
  await notify(db, { id: row.id, type: e.type, entityType, entityId: e.entityId });
  return row.id;
}
