import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { folded, recordColumns, timestamptz } from './columns.js';
import { deliveryStatusEnum } from './enums.js';
import { events } from './events.js';

export const webhooks = pgTable(
  'webhooks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    url: text('url').notNull(),
    /** Subscribed event types (EVENT_TYPES); `ping` is implicit. */
    events: text('events').array().notNull(),
    active: boolean('active').notNull().default(true),
    description: text('description').notNull().default(''),
    // Kept as given, not hashed: signing needs the secret itself. Only the dispatcher reads it.
    secret: text('secret').notNull(),
    ...recordColumns,
  },
  (t) => [
    index('webhooks_created_at_idx').on(t.createdAt, t.id),
    index('webhooks_updated_at_idx').on(t.updatedAt, t.id),
    index('webhooks_url_idx').on(t.url, t.id),
    index('webhooks_active_idx').on(t.active, t.id),
    index('webhooks_events_idx').using('gin', t.events),
    index('webhooks_search_idx').using('gin', sql`${folded(sql`${t.url} || ' ' || ${t.description}`)} gin_trgm_ops`),
  ],
);

// One row per (event, subscribed webhook), written in the transaction that records the event,
// so a committed event always has its deliveries. The id is what receivers dedupe on
// (X-Toasoan-Delivery): a UUID, unique across installations too.
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    // Copied from the event: the list filter on `event`, and per-entity ordering without a join.
    eventType: text('event_type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    status: deliveryStatusEnum('status').notNull().default('pending'),
    /** Attempts started; counted when an attempt is claimed, so a crash mid-call still counts. */
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; while one is in flight, the end of its lease. Null when done. */
    nextAttemptAt: timestamptz('next_attempt_at'),
    /** An attempt is in flight: nextAttemptAt is its lease, renewed while it runs. */
    leased: boolean('leased').notNull().default(false),
    lastStatusCode: integer('last_status_code'),
    lastDurationMs: integer('last_duration_ms'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt, t.id),
    index('webhook_deliveries_webhook_status_idx').on(t.webhookId, t.status, t.createdAt, t.id),
    index('webhook_deliveries_webhook_next_idx').on(t.webhookId, t.nextAttemptAt, t.id),
    // The dispatcher's two questions: what is due, and is an older one for this entity still pending?
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_entity_idx').on(t.webhookId, t.entityType, t.entityId, t.eventId).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);
