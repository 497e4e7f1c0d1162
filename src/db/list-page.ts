// Runs a list plan: one page of rows (filters + keyset condition, order, limit, offset) and the
// total count of the filters alone. Written once for every resource.
import { and, count } from 'drizzle-orm';
import type { PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { ListPlan } from '../lib/list-sql.js';
import type { Db } from './client.js';

export interface FetchPageOptions<R> {
  /**
   * The same select plus totalOfMatches, for relevance-ordered pages: sorting by relevance reads
   * every match already, so counting them there saves a second search.
   */
  withTotal?: () => PgSelect;
  /** Counts the total another way than a count query (the count cache, article lists). */
  count?: () => Promise<number>;
  /** Runs a page query; by default through Drizzle (rows as objects). */
  run?: (query: PgSelect) => Promise<R[]>;
}

/** The page query of a plan, not yet run (EXPLAIN tests read it). */
export function pageQuery<Q extends PgSelect>(plan: ListPlan, rows: Q): Q {
  return rows.where(and(plan.where, plan.keyset)).orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
}

export async function fetchPage<Q extends PgSelect, R = Awaited<Q>[number]>(
  db: Db,
  plan: ListPlan,
  rows: Q,
  countFrom: PgTable,
  { withTotal, count: countOther, run = (query) => query as unknown as Promise<R[]> }: FetchPageOptions<R> = {},
): Promise<{ rows: R[]; total: number }> {
  if (plan.ranked && withTotal && plan.limit > 0) {
    const counted = (await run(pageQuery(plan, withTotal()))) as Array<R & { totalOfMatches: number }>;
    // An empty page (past the end) carries no count: then the count query below says it.
    if (counted.length > 0) {
      const total = counted[0].totalOfMatches;
      return { rows: counted.map(({ totalOfMatches: _, ...row }) => row) as R[], total };
    }
  }
  const page = plan.limit === 0 ? Promise.resolve([]) : run(pageQuery(plan, rows));
  const total = countOther ? countOther() : db.select({ total: count() }).from(countFrom).where(plan.where).then(([r]) => r.total);
  const [result, n] = await Promise.all([page, total]);
  return { rows: result as R[], total: n };
}
