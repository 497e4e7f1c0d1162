// A list page whose records the database writes as JSON text (the article lists): the page is
// chosen on narrow rows first (the row id, and the count of a relevance-ordered page), then only
// its own rows are turned into JSON. An OFFSET over the JSON select would build (and detoast) the
// JSON of every row it skips.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { ListPlan } from '../lib/list-sql.js';
import type { Database, Db } from './client.js';

/** The narrow page select: `pageQuery` adds the plan's filters, order, limit and offset. */
export const pageRowIds = (db: Db, table: PgTable, rowId: PgColumn, ranked: boolean) =>
  db
    .select({
      rowId: sql<number>`${rowId}`.as('row_id'),
      total: (ranked ? sql<number>`count(*) over ()` : sql<number>`NULL::bigint`).as('total_of_matches'),
    })
    .from(table)
    .$dynamic();

/** The last column of a JSON select: the page's count of matches, when it was ranked. */
export const pageTotal: { total: SQL<string> } = { total: sql<string>`"page"."total_of_matches"::text` };

/** The JSON select restricted to the rows of `page` (a pageRowIds query), in the plan's order. */
export function onPage<Q extends PgSelect>(jsonSelect: Q, page: PgSelect, rowId: PgColumn, plan: ListPlan): PgSelect {
  // The page's size again, as a literal: a generic plan of the prepared statement cannot see the
  // LIMIT parameter, guesses a tenth of the table and joins it by reading the whole table.
  const size = sql.raw(String(Math.max(0, Math.trunc(plan.limit))));
  return jsonSelect
    .innerJoin(sql`(SELECT * FROM (${page}) AS "rows" LIMIT ${size}) AS "page"`, sql`"page"."row_id" = ${rowId}`)
    .orderBy(...plan.orderBy);
}

/** A record as JSON bytes, and the fields its list headers need (the next page's cursor). */
export type JsonRow = { json: Buffer; totalOfMatches?: number } & Record<string, string | number | Buffer | undefined>;

/**
 * The fields a list page reads back after each row's JSON (what its cursor needs), each as a
 * column of text and the type it is read back as: one description for the select and the reader.
 */
export function rowFields(fields: Record<string, { column: SQL; type: 'int' | 'text' }>) {
  const entries = Object.entries(fields);
  return {
    columns: Object.fromEntries(entries.map(([name, f]) => [name, f.column])) as Record<string, SQL>,
    types: entries.map(([name, f]) => [name, f.type] as const),
  };
}

/** Runs JSON selects whose columns are, as text: the JSON, then `fields.columns`, then pageTotal. */
export function jsonPageRunner(database: Database, jsonOf: (page: PgSelect) => PgSelect, fields: ReturnType<typeof rowFields>, opts?: { pipelined?: boolean }) {
  return async (page: PgSelect): Promise<JsonRow[]> =>
    (await database.textRows(jsonOf(page).toSQL(), opts)).map((cols) => {
      const row: JsonRow = { json: cols[0]! };
      fields.types.forEach(([name, type], i) => {
        const text = cols[i + 1]!.toString();
        row[name] = type === 'int' ? Number(text) : text;
      });
      const total = cols[fields.types.length + 1];
      if (total) row.totalOfMatches = Number(total.toString());
      return row;
    });
}
