// Runs a list plan: one page of rows (filters + keyset condition, order, limit, offset) and the
// total count of the filters alone. Written once for every resource.
import { and, count } from 'drizzle-orm';
import type { PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { ListPlan } from '../lib/list-sql.js';
import type { Db } from './client.js';

/** The page query of a plan, not yet run (EXPLAIN tests read it). */
export function pageQuery<Q extends PgSelect>(plan: ListPlan, rows: Q): Q {
  return rows.where(and(plan.where, plan.keyset)).orderBy(...plan.orderBy).limit(plan.limit).offset(plan.offset);
}

export async function fetchPage<Q extends PgSelect>(db: Db, plan: ListPlan, rows: Q, countFrom: PgTable): Promise<{ rows: Awaited<Q>; total: number }> {
  const page = plan.limit === 0 ? Promise.resolve([]) : pageQuery(plan, rows);
  const [result, [{ total }]] = await Promise.all([page, db.select({ total: count() }).from(countFrom).where(plan.where)]);
  return { rows: result as Awaited<Q>, total };
}
