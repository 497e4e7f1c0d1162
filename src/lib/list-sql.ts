// Turns a parsed ListQuery into Drizzle SQL for a resource's columns: the one place where list
// filters, accent-insensitive matching and stable ordering are written.
import { and, arrayOverlaps, asc, desc, eq, gte, isNotNull, isNull, lte, not, or, type SQL, sql } from 'drizzle-orm';
import { makePgArray, PgColumn } from 'drizzle-orm/pg-core';
import { encodeCursor, type FieldType, fieldOf, type Filter, type FilterValue, isStorableDate, type ListQuery, type ListSpecShape, parseListQuery, type SortTerm } from './list-query.js';
import { badRequest } from './problem.js';
import { toSearchTerms } from './search-query.js';

export interface ListSpec extends ListSpecShape {
  /** The column (or expression) behind every filterable or sortable field. */
  columns: Record<string, PgColumn | SQL>;
  id: PgColumn;
  /** SQL for the filters in extraFilters (values already NFC). */
  extra?: (field: string, values: string[]) => SQL | Promise<SQL>;
  /** WHERE and ranking ORDER BY for `q`. */
  search?: (q: string) => { where: SQL; rank: SQL[] };
  /** Non-null fields whose sort can page by keyset (`_cursor`); their values must round-trip JS exactly. */
  cursorFields?: readonly string[];
}

export interface ListPlan {
  /** The scope and the filters: what X-Total-Count counts. */
  where: SQL | undefined;
  /** The filters alone, without the scope (what a count cache keys a clock-dependent scope on). */
  filters: SQL | undefined;
  /** Where a keyset page starts (rows only, not the count). */
  keyset?: SQL;
  orderBy: SQL[];
  limit: number;
  /** The SQL OFFSET (0 on a keyset page). */
  offset: number;
  /** The position of the page's first row, for Content-Range. */
  start: number;
  /** The cursor of the page after the one ending with `row`, when the sort allows keyset paging. */
  cursorAfter?: (row: Record<string, unknown>) => string;
  /** Rows come in relevance order: the page query reads every match anyway, so it can count them. */
  ranked?: boolean;
  /**
   * The page costs about the same whatever the data: the default order (which an index gives),
   * filters that are equalities or ranges, no search and no `_like`, within the first
   * BOUNDED_ROWS rows (a keyset page has no offset).
   */
  bounded: boolean;
}

const BOUNDED_ROWS = 1000;

/** lower(unaccent(x)): the same folding the stored search columns and indexes use. */
export const foldSql = (expr: PgColumn | SQL | string) => sql`lower(public.f_unaccent(${expr}))`;

/** A LIKE pattern in which the user's % and _ are plain text. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every word of q must occur in the folded text `doc`. */
export function allWordsIn(doc: PgColumn | SQL, q: string): SQL {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 12);
  return and(...words.map((w) => sql`${doc} LIKE ${foldSql(containsPattern(w))}`)) as SQL;
}

/**
 * `q` over stored search vectors: every word occurs in the document (its GIN index finds the
 * matches); those whose title has every word rank first. The title's own small vector answers
 * that, so ranking does not read each match's large document vector again.
 */
export function vectorSearch(vectors: { document: PgColumn; title: PgColumn }, q: string): { where: SQL; rank: SQL[] } {
  const terms = toSearchTerms(q);
  if (!terms) return { where: sql`false`, rank: [] };
  // A scalar subquery: computed once per statement (it reads search_words), not once per row.
  const query = () => sql`(SELECT public.toasoan_search_query(${terms.words}, ${terms.prefix}))`;
  return {
    where: sql`${vectors.document} @@ ${query()}`,
    rank: [sql`CASE WHEN ${vectors.title} @@ ${query()} THEN 0 ELSE 1 END`],
  };
}

/** The column behind a field the parser accepted; an own property only, like fieldOf. */
function columnOf(spec: ListSpec, field: string): PgColumn | SQL {
  if (!Object.hasOwn(spec.columns, field)) throw new Error(`The list spec has no column for "${field}"`);
  return spec.columns[field];
}

const SQL_ARRAY_TYPES: Record<Exclude<FieldType, 'enum' | 'tag'>, string> = { int: 'integer[]', text: 'text[]', timestamp: 'timestamptz[]', bool: 'boolean[]' };

/**
 * `column = ANY($1::type[])`: one array parameter, so a statement has one shape whatever the
 * number of values (an IN list is a new prepared statement for each length), and an index on
 * the column still answers it.
 */
export function anyOf(column: PgColumn | SQL, type: Exclude<FieldType, 'tag'>, values: Array<Exclude<FilterValue, null>>): SQL {
  const literal = makePgArray(values.map((v) => (v instanceof Date ? v.toISOString() : v)));
  const arrayType =
    type !== 'enum' ? sql.raw(SQL_ARRAY_TYPES[type]) : column instanceof PgColumn ? sql`${sql.identifier(column.getSQLType())}[]` : sql.raw('text[]');
  return sql`${column} = ANY(${literal}::${arrayType})`;
}

/** The sort terms with the id tie-break, which follows the direction of the last term. */
function sortTerms(terms: SortTerm[]): SortTerm[] {
  if (terms.some((t) => t.field === 'id')) return terms;
  return [...terms, { field: 'id', dir: terms.at(-1)?.dir ?? 'asc' }];
}

function keysetCondition(terms: SortTerm[], spec: ListSpec, values: unknown[]): SQL {
  const invalid = () => badRequest('Invalid list query: _cursor is not a cursor this API issued.', [{ path: 'query._cursor', message: 'is invalid' }]);
  const cols = terms.map((t) => columnOf(spec, t.field) as PgColumn);
  const vals = terms.map((t, i) => {
    const v = values[i];
    if (fieldOf(spec, t.field)?.type === 'timestamp') {
      const d = new Date(String(v));
      if (!isStorableDate(d)) throw invalid();
      // As text: raw SQL parameters skip Drizzle's column mapping, and postgres.js takes no Date there.
      return d.toISOString();
    }
    // Cursor fields other than timestamps are integer ids.
    if (!Number.isInteger(v) || Math.abs(v as number) > 2147483647) throw invalid();
    return v;
  });
  const op = (dir: 'asc' | 'desc') => (dir === 'desc' ? sql`<` : sql`>`);
  // One direction: a row comparison, which a composite index answers directly.
  if (terms.every((t) => t.dir === terms[0].dir)) {
    return sql`(${sql.join(cols, sql`, `)}) ${op(terms[0].dir)} (${sql.join(vals.map((v, i) => sql`${v}::${sql.raw(sqlType(terms[i], spec))}`), sql`, `)})`;
  }
  const ors = terms.map((t, k) =>
    and(...terms.slice(0, k).map((p, j) => eq(cols[j], vals[j])), sql`${cols[k]} ${op(t.dir)} ${vals[k]}`),
  );
  return or(...ors) as SQL;
}

function sqlType(term: SortTerm, spec: ListSpec): string {
  return fieldOf(spec, term.field)?.type === 'timestamp' ? 'timestamptz' : 'integer';
}

export async function buildListPlan(query: ListQuery, spec: ListSpec, scope?: SQL): Promise<ListPlan> {
  const conditions: SQL[] = [];
  for (const f of query.filters) {
    if (spec.extraFilters?.includes(f.field)) conditions.push(await spec.extra!(f.field, f.values as string[]));
    else conditions.push(filterSql(columnOf(spec, f.field), fieldOf(spec, f.field)!.type, f));
  }
  const orderBy: SQL[] = [];
  if (query.q && spec.search) {
    const s = spec.search(query.q);
    conditions.push(s.where);
    if (!query.explicitSort) orderBy.push(...s.rank);
  }
  orderBy.push(...sortSql(query.sort, spec));

  const terms = sortTerms(query.sort);
  const keyset = !(query.q && !query.explicitSort) && terms.every((t) => t.field === 'id' || spec.cursorFields?.includes(t.field));
  if (query.cursor) {
    if (!keyset || query.cursor.values.length !== terms.length) {
      throw badRequest('Invalid list query: this _cursor does not fit this sort; follow the Link header as given.', [{ path: 'query._cursor', message: 'does not fit the sort' }]);
    }
  }
  const offset = query.cursor ? 0 : query.offset;
  const plan: ListPlan = {
    where: scope || conditions.length ? and(scope, ...conditions) : undefined,
    filters: conditions.length ? and(...conditions) : undefined,
    keyset: query.cursor ? keysetCondition(terms, spec, query.cursor.values) : undefined,
    orderBy,
    limit: query.limit,
    offset,
    start: query.offset,
    ranked: Boolean(query.q && spec.search && !query.explicitSort),
    bounded: isBounded(query, spec),
  };
  if (keyset) {
    plan.cursorAfter = (row) =>
      encodeCursor({ offset: query.offset + query.limit, values: terms.map((t) => (row[t.field] instanceof Date ? (row[t.field] as Date).toISOString() : row[t.field])) });
  }
  return plan;
}

/** Whether the page a query asks for is of bounded cost (ListPlan.bounded). */
export function isBounded(query: ListQuery, spec: ListSpec): boolean {
  const offset = query.cursor ? 0 : query.offset;
  return (
    !query.q &&
    query.filters.every((f) => f.op === 'eq' || f.op === 'gte' || f.op === 'lte') &&
    sameOrder(sortTerms(query.sort), sortTerms(spec.defaultSort)) &&
    offset + query.limit <= BOUNDED_ROWS
  );
}

const sameOrder = (a: SortTerm[], b: SortTerm[]) => a.length === b.length && a.every((t, i) => t.field === b[i].field && t.dir === b[i].dir);

function filterSql(column: PgColumn | SQL, type: FieldType, f: Filter): SQL {
  // Drizzle's operators take SQL expressions as well as columns at run time; one type suffices here.
  const col = column as PgColumn;
  const nonNull = f.values.filter((v): v is Exclude<FilterValue, null> => v !== null);
  const hasNull = nonNull.length !== f.values.length;
  // A tag list matches when it shares a value; a scalar when it is one of them.
  const matchAny = () => (type === 'tag' ? arrayOverlaps(col, nonNull as string[]) : anyOf(col, type, nonNull));
  switch (f.op) {
    case 'eq': {
      const parts: SQL[] = [];
      if (nonNull.length) parts.push(type !== 'tag' && nonNull.length === 1 ? eq(col, nonNull[0]) : matchAny());
      if (hasNull) parts.push(isNull(col));
      return (parts.length === 1 ? parts[0] : or(...parts)) as SQL;
    }
    case 'ne': {
      const parts: SQL[] = [];
      if (nonNull.length) {
        const match = matchAny();
        parts.push(hasNull ? not(match) : (or(isNull(col), not(match)) as SQL));
      }
      if (hasNull) parts.push(isNotNull(col));
      return and(...parts) as SQL;
    }
    case 'gte':
      return gte(col, f.values[0]);
    case 'lte':
      return lte(col, f.values[0]);
    case 'like':
      return sql`${foldSql(col)} LIKE ${foldSql(containsPattern(String(f.values[0])))}`;
  }
}

function sortSql(terms: SortTerm[], spec: ListSpec): SQL[] {
  const out: SQL[] = [];
  for (const t of terms) {
    const col = columnOf(spec, t.field) as PgColumn;
    const dir = t.dir === 'desc' ? desc : asc;
    // Text sorts by its accent-folded form first, so "Đà Nẵng" sits with the d's, not after z.
    if (fieldOf(spec, t.field)?.type === 'text') out.push(dir(foldSql(col)));
    out.push(dir(col));
  }
  if (!terms.some((t) => columnOf(spec, t.field) === spec.id)) out.push((terms.at(-1)?.dir === 'desc' ? desc : asc)(spec.id));
  return out;
}

/**
 * One page of a list endpoint: the query string parsed against `spec`, planned (within `scope`,
 * e.g. one article's revisions) and run by `fetch`; the plan comes back for the list headers.
 */
export async function listPage<R>(
  query: Record<string, string | string[] | undefined>,
  spec: ListSpec,
  fetch: (plan: ListPlan) => Promise<{ rows: R[]; total: number }>,
  scope?: SQL,
): Promise<{ rows: R[]; total: number; plan: ListPlan }> {
  const plan = await buildListPlan(parseListQuery(query, spec), spec, scope);
  return { ...(await fetch(plan)), plan };
}
