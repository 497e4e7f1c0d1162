import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

// The transactional outbox: a domain event is written in the same transaction as the change
// that causes it, so it can neither be lost nor announce a change that was rolled back.
export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    /** The public representation of the record, or { id, slug } once it is no longer public. */
    data: jsonb('data').notNull(),
    /** The surrogate keys whose public responses the event changed (webhooks' `purge.keys`). */
    purgeKeys: text('purge_keys').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('events_entity_idx').on(t.entityType, t.entityId, t.id), index('events_created_at_idx').on(t.createdAt)],
);
