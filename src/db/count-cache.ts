// Exact list totals without counting again. A count is read in one statement together with the
// sum of change_stamps, which a commit-time trigger raises on every committed change of the
// content tables (migration 0011). While the sum is unchanged, no write has committed since that
// snapshot, so the total is still exact: checking that costs one read of 64 tiny rows instead of
// counting up to a million. A count that depends on the clock as well (what is public now) is
// kept until the next moment its scope changes by time alone, read in the same statement. Holds
// no count that depends on the caller, and is never used inside a transaction that may have written.
import { count, getTableName, type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Database, Db } from './client.js';
import { changeStamps } from './schema/index.js';

// Renders only the WHERE clause for the key: cheaper than building the whole count query.
const dialect = new PgDialect();

// The stamp: read alone to check an entry, or inside a count's own statement (same snapshot).
const stampQuery = sql<string>`SELECT coalesce(sum(${changeStamps.n}), 0)::text FROM ${changeStamps}`;

interface Entry {
  stamp: string;
  total: number;
  /** The times (ms) between which the rows in scope stay the same: always, unless clocked. */
  from: number;
  until: number;
}

/**
 * A count whose WHERE holds a clock-dependent scope (e.g. "visible at now") besides its filters.
 * Keyed on the scope's name and the filters alone, it holds from `now` until `nextChange`: the
 * first moment after `now` at which the scope would take in or drop a row by time alone.
 */
export interface Clocked {
  scope: string;
  now: Date;
  filters: SQL | undefined;
  /** A timestamptz (NULL: never), evaluated in the count's own statement. */
  nextChange: SQL;
}

export class CountCache {
  private readonly entries = new Map<string, Entry>();
  private readonly stats = { hits: 0, misses: 0 };

  /** `readStamp` reads the current stamp (pipelinedStamp below). */
  constructor(
    private readonly readStamp: () => Promise<string>,
    private readonly maxEntries = 1000,
  ) {}

  /** `select count(*) from table where where`, answered from memory while nothing changed. */
  async count(db: Db, table: PgTable, where: SQL | undefined, clocked?: Clocked): Promise<number> {
    const keyed = clocked ? clocked.filters : where;
    const rendered = keyed ? dialect.sqlToQuery(keyed) : { sql: '', params: [] };
    const key = `${getTableName(table)}\u0000${clocked?.scope ?? ''}\u0000${rendered.sql}\u0000${JSON.stringify(rendered.params)}`;
    const entry = this.entries.get(key);
    const now = clocked?.now.getTime();
    if (entry && (now === undefined || (entry.from <= now && now < entry.until)) && entry.stamp === (await this.readStamp())) {
      this.stats.hits++;
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.total;
    }
    this.stats.misses++;
    const [row] = await db
      .select({
        total: count(),
        stamp: sql<string>`(${stampQuery})`,
        // Whole milliseconds, rounded down: the entry may end a little early, never late.
        nextChange: clocked ? sql<string | null>`floor(extract(epoch FROM (${clocked.nextChange})) * 1000)::text` : sql<null>`NULL`,
      })
      .from(table)
      .where(where);
    const fresh: Entry = {
      stamp: row.stamp,
      total: row.total,
      from: now ?? Number.NEGATIVE_INFINITY,
      until: row.nextChange === null ? Number.POSITIVE_INFINITY : Number(row.nextChange),
    };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return row.total;
  }

  /** How often a count was answered from memory (tests and diagnostics). */
  get counters(): Readonly<{ hits: number; misses: number; size: number }> {
    return { ...this.stats, size: this.entries.size };
  }
}

/** Reads the current stamp on the pipelined connection of `database` (see Database.textRows). */
export function pipelinedStamp(database: Database): () => Promise<string> {
  const query = dialect.sqlToQuery(stampQuery);
  return async () => {
    const [[stamp]] = await database.textRows(query, { pipelined: true });
    return stamp!.toString();
  };
}
