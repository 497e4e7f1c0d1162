import { and, asc, eq, inArray, lt, lte, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { events, webhookDeliveries as d, webhooks } from '../../db/schema/index.js';
import type { ListPlan, ListSpec } from '../../lib/list-sql.js';
import type { RecordedEvent } from '../../events/outbox.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../db/schema/delivery-status.js';

export const deliveryColumns = {
  id: d.id, webhookId: d.webhookId, eventId: d.eventId, event: d.eventType, status: d.status, attempts: d.attempts,
  lastStatusCode: d.lastStatusCode, lastDurationMs: d.lastDurationMs, lastError: d.lastError, nextAttemptAt: d.nextAttemptAt,
  createdAt: d.createdAt, updatedAt: d.updatedAt,
};

export const deliveryListSpec: ListSpec = {
  fields: {
    id: { type: 'text', sortable: false },
    event: { type: 'text', sortable: false },
    eventId: { type: 'int', sortable: false },
    status: { type: 'enum', values: DELIVERY_STATUSES, sortable: false },
    lastStatusCode: { type: 'int', nullable: true, sortable: false },
    nextAttemptAt: { type: 'timestamp', nullable: true },
    createdAt: { type: 'timestamp' },
  },
  columns: {
    // As text: the id is a UUID, and a malformed one in a filter must match nothing, not fail.
    id: sql`${d.id}::text`, event: d.eventType, eventId: d.eventId, status: d.status, lastStatusCode: d.lastStatusCode,
    nextAttemptAt: d.nextAttemptAt, createdAt: d.createdAt,
  },
  id: d.id,
  // Newest first, served by the (webhook_id, created_at, id) index; ties fall back to the id.
  defaultSort: [{ field: 'createdAt', dir: 'desc' }],
};

export const deliveriesOf = (webhookId: number) => eq(d.webhookId, webhookId);

export function listDeliveries(db: Db, plan: ListPlan) {
  return fetchPage(db, plan, db.select(deliveryColumns).from(d).$dynamic(), d);
}

export async function findDelivery(db: Db, webhookId: number, id: string) {
  const [row] = await db.select(deliveryColumns).from(d).where(and(eq(d.webhookId, webhookId), eq(d.id, id)));
  return row;
}

export async function findDeliveryOfEvent(db: Db, webhookId: number, eventId: number) {
  const [row] = await db.select(deliveryColumns).from(d).where(and(eq(d.webhookId, webhookId), eq(d.eventId, eventId)));
  return row;
}

/**
 * One pending delivery per active webhook subscribed to the event, in the event's own
 * transaction. A ping goes to the one webhook it names (its entity id) and needs no subscription.
 */
export async function insertDeliveriesForEvent(db: Db, e: RecordedEvent): Promise<void> {
  const at = e.at.toISOString();
  const subscribed = e.type === 'ping' ? sql`w.id = ${e.entityId}` : sql`${e.type} = ANY(w.events)`;
  await db.execute(sql`
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, entity_type, entity_id, next_attempt_at, created_at, updated_at)
    SELECT w.id, ${e.id}, ${e.type}, ${e.entityType}, ${e.entityId}, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    FROM webhooks w
    WHERE w.active AND ${subscribed}
    ORDER BY w.id
    -- A webhook deleted concurrently is skipped instead of failing the event's transaction on the foreign key.
    FOR KEY SHARE OF w`);
}

export interface ClaimedDelivery {
  id: string;
  webhookId: number;
  attempts: number;
  url: string;
  secret: string;
  eventType: string;
  eventCreatedAt: Date;
  data: unknown;
  /** The surrogate keys the event changed (API.md §10). */
  purgeKeys: string[];
}

const older = alias(d, 'older');

/**
 * Claims up to `limit` due deliveries for this instance: locks them (SKIP LOCKED, so other
 * instances take other rows), counts the attempt and moves nextAttemptAt to the end of a lease.
 * The caller commits before sending, so a crash mid-call just lets the lease run out and the
 * delivery is tried again. A delivery waits while an older one of the same webhook and entity
 * is still pending: events of one article arrive in the order they happened.
 */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const olderPending = tx
      .select({ one: sql`1` })
      .from(older)
      .where(
        and(
          eq(older.webhookId, d.webhookId), eq(older.entityType, d.entityType), eq(older.entityId, d.entityId),
          eq(older.status, 'pending'), lt(older.eventId, d.eventId),
        ),
      );
    const due = await tx
      .select({
        id: d.id, webhookId: d.webhookId, attempts: d.attempts, url: webhooks.url, secret: webhooks.secret,
        eventType: events.type, eventCreatedAt: events.createdAt, data: events.data, purgeKeys: events.purgeKeys,
      })
      .from(d)
      .innerJoin(webhooks, eq(webhooks.id, d.webhookId))
      .innerJoin(events, eq(events.id, d.eventId))
      .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), eq(webhooks.active, true), notExists(olderPending)))
      .orderBy(asc(d.nextAttemptAt), asc(d.eventId))
      .limit(limit)
      .for('update', { of: d, skipLocked: true });
    if (due.length === 0) return [];
    await tx
      .update(d)
      .set({ attempts: sql`${d.attempts} + 1`, nextAttemptAt: leaseUntil, leased: true, updatedAt: now })
      .where(inArray(d.id, due.map((r) => r.id)));
    return due.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  });
}

export interface AttemptRecord {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastDurationMs: number;
  lastError: string | null;
}

/**
 * Writes an attempt's outcome, unless the delivery moved on meanwhile (another claim after the
 * lease ran out, or a redeliver): `attempts` identifies the claim this result belongs to.
 */
export async function recordAttempt(db: Db, id: string, attempts: number, values: AttemptRecord, now: Date): Promise<boolean> {
  const rows = await db
    .update(d)
    .set({ ...values, leased: false, updatedAt: now })
    .where(and(eq(d.id, id), eq(d.attempts, attempts), eq(d.status, 'pending')))
    .returning({ id: d.id });
  return rows.length === 1;
}

/** Extends the leases of attempts still in flight (each named by its claim's attempt count). */
export async function renewLeases(db: Db, claims: ReadonlyArray<{ id: string; attempts: number }>, leaseUntil: Date): Promise<void> {
  if (claims.length === 0) return;
  await db
    .update(d)
    .set({ nextAttemptAt: leaseUntil })
    .where(and(eq(d.leased, true), eq(d.status, 'pending'), or(...claims.map((c) => and(eq(d.id, c.id), eq(d.attempts, c.attempts))))));
}

/**
 * Makes every leased delivery due now. Only for a database that one process owns (PGlite): at
 * start, every lease belongs to a process that is gone.
 */
export async function releaseAllLeases(db: Db, now: Date): Promise<number> {
  const rows = await db.update(d).set({ leased: false, nextAttemptAt: now }).where(and(eq(d.leased, true), eq(d.status, 'pending'))).returning({ id: d.id });
  return rows.length;
}

/**
 * Due now, same delivery id. A finished delivery starts a fresh retry schedule; a pending one
 * keeps its attempt count and is just brought forward.
 */
export async function resetDelivery(db: Db, webhookId: number, id: string, now: Date) {
  const [row] = await db
    .update(d)
    .set({
      status: 'pending',
      attempts: sql`CASE WHEN ${d.status} = 'pending' THEN ${d.attempts} ELSE 0 END`,
      nextAttemptAt: now,
      updatedAt: now,
    })
    .where(and(eq(d.webhookId, webhookId), eq(d.id, id)))
    .returning(deliveryColumns);
  return row;
}
