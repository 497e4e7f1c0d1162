// Failure budgets in the database (table failure_budgets), so that every instance on one
// PostgreSQL database counts against the same budgets (API.md §4).
import { createHash } from 'node:crypto';
import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Budget, BudgetStore, Grant } from '../lib/failure-limiter.js';
import { MemoryBudgetStore } from '../lib/memory-budget-store.js';
import type { Database, Db } from './client.js';
import { failureBudgets as fb } from './schema/index.js';

const hashKey = (key: string) => createHash('sha256').update(key).digest('base64url');

export class DatabaseBudgetStore implements BudgetStore {
  private nextSweep = 0;

  constructor(
    private readonly db: Db,
    /** How often this instance deletes the rows of ended windows. */
    private readonly sweepEveryMs = 60_000,
  ) {}

  /**
   * One statement: an upsert per key that either starts a new window or adds one unit, never
   * past one more than the key's maximum. The row lock of ON CONFLICT DO UPDATE makes each
   * key's step atomic across connections and instances; the value returned is the one this
   * statement wrote, so `failures > max` tells this attempt that it was refused.
   */
  async take(budgets: readonly Budget[], now: number, windowMs: number): Promise<Grant[]> {
    await this.sweep(now);
    const at = new Date(now);
    const rows = budgets
      .map(([key, max]) => ({ key: hashKey(key), failures: 1, maxFailures: max, resetAt: new Date(now + windowMs) }))
      // Rows locked in one order by every statement: two attempts cannot deadlock.
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // sql.param with the column as encoder: the Date is sent as the column would send it.
    const ended = sql`${fb.resetAt} <= ${sql.param(at, fb.resetAt)}`;
    const written = await this.db
      .insert(fb)
      .values(rows)
      .onConflictDoUpdate({
        target: fb.key,
        set: {
          failures: sql`CASE WHEN ${ended} THEN 1 ELSE LEAST(${fb.failures} + 1, excluded.max_failures + 1) END`,
          maxFailures: sql`excluded.max_failures`,
          resetAt: sql`CASE WHEN ${ended} THEN excluded.reset_at ELSE ${fb.resetAt} END`,
        },
      })
      .returning({ key: fb.key, failures: fb.failures, maxFailures: fb.maxFailures, resetAt: fb.resetAt });
    const byHash = new Map(written.map((r) => [r.key, r]));
    return budgets.map(([key]) => {
      const r = byHash.get(hashKey(key))!;
      return { key, granted: r.failures <= r.maxFailures, resetAt: r.resetAt.getTime() };
    });
  }

  async refund(keys: readonly string[], now: number): Promise<void> {
    // From "refused" (max + 1) the units taken are max: one less is max - 1.
    await this.db
      .update(fb)
      .set({ failures: sql`GREATEST(LEAST(${fb.failures}, ${fb.maxFailures}) - 1, 0)` })
      .where(and(inArray(fb.key, keys.map(hashKey)), gt(fb.resetAt, new Date(now))));
  }

  async clear(key: string): Promise<void> {
    await this.db.delete(fb).where(eq(fb.key, hashKey(key)));
  }

  /** Rows of ended windows, deleted at most once a minute per instance (index on reset_at). */
  private async sweep(now: number): Promise<void> {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.sweepEveryMs;
    await this.db.delete(fb).where(lte(fb.resetAt, new Date(now)));
  }
}

// The embedded database is owned by one process, so memory sees every attempt; app instances in
// one process that share a database share its store.
const memoryStores = new WeakMap<Database, MemoryBudgetStore>();

/** The store for a database: in the database on PostgreSQL, in memory with PGlite. */
export function budgetStoreFor(database: Database): BudgetStore {
  if (database.kind === 'postgres') return new DatabaseBudgetStore(database.db);
  let store = memoryStores.get(database);
  if (!store) {
    store = new MemoryBudgetStore();
    memoryStores.set(database, store);
  }
  return store;
}
