// The optimistic-locking pieces every versioned record shares (API.md §3): a write applies only
// at the version the client read, and every write moves the version on.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

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

/**
 * UPDATE … SET values, next version WHERE id and version match: nothing is written when someone
 * changed the row since `version` was read. Add `.returning(…)`: no row back means changed or gone.
 */
export function updateAtVersion<T extends PgTable & Versioned>(db: Db, table: T, id: number, version: number, values: PgUpdateSetSource<T>, now: Date) {
  return db
    .update(table)
    .set({ ...values, ...nextVersion(table, now) } as PgUpdateSetSource<T>)
    .where(atVersion(table, id, version));
}

/** DELETE only at `version`: a row changed since it was read stays. Add `.returning(…)` as for updates. */
export function deleteAtVersion<T extends PgTable & Versioned>(db: Db, table: T, id: number, version: number) {
  return db.delete(table).where(atVersion(table, id, version));
}
