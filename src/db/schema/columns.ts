import { sql } from 'drizzle-orm';
import { integer, timestamp } from 'drizzle-orm/pg-core';

// Columns every record shares (API.md §1, §3).
export const recordColumns = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Accent-folded, lower-cased text. f_unaccent is the IMMUTABLE wrapper created by the first
// migration, so the expression can back a stored column and a trigram index.
export const folded = (expr: ReturnType<typeof sql>) => sql`lower(public.f_unaccent(${expr}))`;

