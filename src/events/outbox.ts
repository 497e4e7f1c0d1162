// Domain events (Ghost's "published", "unpublished", …) recorded in the caller's transaction.
// pg_notify inside the same transaction is delivered only on commit, so every instance on the
// database hears about committed changes only: the signal for caches and webhook dispatchers.
// Subscribers (the webhook module's fan-out to deliveries) write in that same transaction too, so
// a committed event always has what they derive from it (no separate step a crash could interrupt).
// The outbox knows no subscriber: they register themselves (app.ts wires the webhook module's).
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { events } from '../db/schema/index.js';

export const EVENT_TYPES = [
  'article.published', 'article.updated', 'article.unpublished', 'article.archived', 'article.deleted',
  'category.created', 'category.updated', 'category.deleted',
  'media.created', 'media.updated', 'media.deleted',
  'collection.created', 'collection.updated', 'collection.deleted',
  'ping',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENTS_CHANNEL = 'toasoan_events';

/**
 * What every instance hears after a commit. Caches know no resource: a notice names the
 * surrogate keys whose public responses changed (API.md §10), as CDNs are told in webhooks.
 */
export interface ChangeNotice {
  /** The outbox row, or 0 for a notice that is not an event (a schedule was set or cancelled). */
  id: number;
  keys: string[];
  /** The keys did not fit in a notice: anything public may have changed. */
  all?: true;
  /** When something becomes or stops being public later on may have changed. */
  timetable?: true;
}

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.
const MAX_NOTICE_BYTES = 7999;

/**
 * Notices raised while serving one request. Other instances hear them through LISTEN a moment
 * after commit; the instance that made the change applies them itself before it answers, so a
 * client reads its own writes.
 */
export const requestNotices = new AsyncLocalStorage<ChangeNotice[]>();

async function notify(db: Db, notice: ChangeNotice): Promise<void> {
  let payload = JSON.stringify(notice);
  if (Buffer.byteLength(payload) > MAX_NOTICE_BYTES) {
    notice = { id: notice.id, keys: [], all: true, ...(notice.timetable ? { timetable: true } : {}) };
    payload = JSON.stringify(notice);
  }
  await db.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`);
  requestNotices.getStore()?.push(notice);
}

/**
 * Tells caches (not webhooks) that the timetable of what becomes public changed: a scheduled
 * version appears later without any other event.
 */
export function notifyTimetableChange(db: Db): Promise<void> {
  return notify(db, { id: 0, keys: [], timetable: true });
}

export interface DomainEvent {
  type: EventType;
  entityId: number;
  /** Public fields only: it goes to webhook receivers. */
  data: unknown;
  at: Date;
  /** The surrogate keys whose public responses the change affects (webhooks' `purge.keys`). */
  purge: readonly string[];
  /** The change may move when something becomes or stops being public. */
  timetable?: boolean;
}

/** An event as recorded in the outbox: what in-transaction subscribers receive. */
export interface RecordedEvent {
  id: number;
  type: EventType;
  entityType: string;
  entityId: number;
  at: Date;
}

/** Runs inside the event's transaction, through its `db`: what it writes commits or rolls back with the event. */
export type EventSubscriber = (db: Db, e: RecordedEvent) => Promise<void>;

// Process-wide and a Set: every app built in one process (tests build many) registers the same
// function once, and a subscriber takes its database from the caller, never from an app.
const subscribers = new Set<EventSubscriber>();

/** Every event emitted from now on runs `subscriber` in its transaction, before the notice. */
export function subscribeInTransaction(subscriber: EventSubscriber): void {
  subscribers.add(subscriber);
}

export async function emitEvent(db: Db, e: DomainEvent): Promise<number> {
  const entityType = e.type.split('.')[0];
  const purgeKeys = [...new Set(e.purge)];
  const [row] = await db
    .insert(events)
    .values({ type: e.type, entityType, entityId: e.entityId, data: e.data, purgeKeys, createdAt: e.at })
    .returning({ id: events.id });
  const recorded: RecordedEvent = { id: row.id, type: e.type, entityType, entityId: e.entityId, at: e.at };
  for (const subscriber of subscribers) await subscriber(db, recorded);
  await notify(db, { id: row.id, keys: purgeKeys, ...(e.timetable ? { timetable: true as const } : {}) });
  return row.id;
}
