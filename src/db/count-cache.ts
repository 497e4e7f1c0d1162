// Exact list totals without counting again. A count is read in one statement together with the
// sum of change_stamps, which a commit-time trigger raises on every committed change of the
// content tables (migration 0011). While the sum is unchanged, no write has committed since that
// snapshot, so the total is still exact: checking that costs one read of 64 tiny rows instead of
// counting up to a million. Holds only counts that depend on nothing but those tables (not on
// the clock, not on the caller), and is never used inside a transaction that may have written.
import { count, getTableName, type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import { changeStamps } from './schema/index.js';
import { preparedOnce } from './prepared-queries.js';

// Renders only the WHERE clause for the key: cheaper than building the whole count query.
const dialect = new PgDialect();

// The stamp: read alone to check an entry, or inside a count's own statement (same snapshot).
const stampSum = sql<string>`coalesce(sum(${changeStamps.n}), 0)::text`;

interface Entry {
  stamp: string;
  total: number;
}

export class CountCache {
  private readonly entries = new Map<string, Entry>();
  private readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly maxEntries = 1000) {}

  /** `select count(*) from table where where`, answered from memory while nothing changed. */
  async count(db: Db, table: PgTable, where: SQL | undefined): Promise<number> {
    const rendered = where ? dialect.sqlToQuery(where) : { sql: '', params: [] };
    const key = `${getTableName(table)}\u0000${rendered.sql}\u0000${JSON.stringify(rendered.params)}`;
    const entry = this.entries.get(key);
    if (entry && entry.stamp === (await currentStamp(db))) {
      this.stats.hits++;
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.total;
    }
    this.stats.misses++;
    const [row] = await db.select({ total: count(), stamp: sql<string>`(SELECT ${stampSum} FROM ${changeStamps})` }).from(table).where(where);
    this.entries.delete(key);
    this.entries.set(key, { stamp: row.stamp, total: row.total });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return row.total;
  }

  /** How often a count was answered from memory (tests and diagnostics). */
  get counters(): Readonly<{ hits: number; misses: number; size: number }> {
    return { ...this.stats, size: this.entries.size };
  }
}

const stampQuery = (db: Db) =>
  preparedOnce(db, 'change_stamp_sum', () =>
    db.select({ stamp: stampSum }).from(changeStamps).prepare('change_stamp_sum'),
  );

async function currentStamp(db: Db): Promise<string> {
  const [row] = await stampQuery(db).execute();
  return row.stamp;
}
