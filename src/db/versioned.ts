// The optimistic-locking pieces every versioned record shares (API.md §3): a write applies only
// at the version the client read, and every write moves the version on.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

interface Versioned {
  id: PgColumn;
  version: PgColumn;
}

/** WHERE the row is `id` at `version`. */
export function atVersion(table: Versioned, id: number, version: number): SQL {
  return and(eq(table.id, id), eq(table.version, version)) as SQL;
}

/** SET values that mark a change: the next version and the time of the change. */
export function nextVersion(table: Versioned, now: Date): { version: SQL; updatedAt: Date } {
  return { version: sql`${table.version} + 1`, updatedAt: now };
}
