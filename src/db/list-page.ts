// Runs a list plan: one page of rows (filters + keyset condition, order, limit, offset) and the
// total count of the filters alone. Written once for every resource.
import { and, count, sql } from 'drizzle-orm';
import type { PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { ListPlan } from '../lib/list-sql.js';
import type { Db } from './client.js';

/** The page query of a plan, not yet run (EXPLAIN tests read it). */
export function pageQuery<Q extends PgSelect>(plan: ListPlan, rows: Q): Q {
  return rows.where(and(plan.where, plan.keyset)).orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
}

/** Extra selected field: the number of matches, counted by the page query itself (a window). */
export const totalOfMatches = { totalOfMatches: sql<number>`count(*) over ()`.mapWith(Number) };

/**
 * `withTotal`, the same select plus totalOfMatches, serves relevance-ordered pages: sorting by
 * relevance reads every match already, so counting them there saves a second search.
 */
export async function fetchPage<Q extends PgSelect>(
  db: Db,
  plan: ListPlan,
  rows: Q,
  countFrom: PgTable,
  withTotal?: () => PgSelect,
): Promise<{ rows: Awaited<Q>; total: number }> {
  if (plan.ranked && withTotal && plan.limit > 0) {
    const counted = (await pageQuery(plan, withTotal())) as Array<{ totalOfMatches: number }>;
    // An empty page (past the end) carries no count: then the count query below says it.
    if (counted.length > 0) {
      const total = counted[0].totalOfMatches;
      return { rows: counted.map(({ totalOfMatches: _, ...row }) => row) as Awaited<Q>, total };
    }
  }
  const page = plan.limit === 0 ? Promise.resolve([]) : pageQuery(plan, rows);
  const [result, [{ total }]] = await Promise.all([page, db.select({ total: count() }).from(countFrom).where(plan.where)]);
  return { rows: result as Awaited<Q>, total };
}
