// Parses the two list dialects of API.md §2 (json-server and ra-data-simple-rest) into one
// plain description of the page, the sort and the filters. Pure: no database, no Fastify.
import { badRequest, type FieldError } from './problem.js';
import { FIELDS_PARAM } from './sparse-fields.js';

export type FieldType = 'int' | 'text' | 'enum' | 'timestamp' | 'bool' | 'tag';
export type FilterOp = 'eq' | 'ne' | 'gte' | 'lte' | 'like';

export interface FieldDef {
  type: FieldType;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  sortable?: boolean;
  filterable?: boolean;
  nullable?: boolean;
}

/** Filters that are not columns (`category` by slug, `tag`): only equality, any-of. */
export interface ListSpecShape {
  fields: Record<string, FieldDef>;
  extraFilters?: readonly string[];
  defaultSort: SortTerm[];
}

export type FilterValue = string | number | boolean | Date | null;

export interface Filter {
  field: string;
  op: FilterOp;
  /** Several values mean "any of" for eq and "none of" for ne. */
  values: FilterValue[];
}

export interface SortTerm {
  field: string;
  dir: 'asc' | 'desc';
}

/** Where a keyset page starts: the sort values of the previous page's last row. */
export interface Cursor {
  offset: number;
  values: unknown[];
}

export interface ListQuery {
  offset: number;
  limit: number;
  cursor: Cursor | undefined;
  sort: SortTerm[];
  /** True when the client chose the sort (a search then keeps it instead of relevance). */
  explicitSort: boolean;
  filters: Filter[];
  q: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** Values in one filter ("any of"): past this a list is a 400, not a statement of a new shape. */
export const MAX_FILTER_VALUES = 100;
/** Fields in one sort; a keyset cursor carries one value per field plus the id. */
export const MAX_SORT_FIELDS = 8;
/** The furthest first row a page may start at (an OFFSET PostgreSQL takes as a bigint). */
export const MAX_OFFSET = 999_999_999;

export const PAGE_KEYS = ['_start', '_end', '_page', '_limit', '_per_page', 'range', '_cursor'];
const SORT_KEYS = ['_sort', '_order', 'sort'];
const OPS: FilterOp[] = ['ne', 'gte', 'lte', 'like'];

type RawQuery = Record<string, string | string[] | undefined>;

/**
 * The definition of a field named by a client, if the spec has one of its own. Never `fields[name]`:
 * names an object inherits (`__proto__`, `constructor`, `toString`, …) would find Object.prototype.
 */
export function fieldOf(spec: ListSpecShape, name: string): FieldDef | undefined {
  return Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
}

export function parseListQuery(raw: RawQuery, spec: ListSpecShape): ListQuery {
  const errors: FieldError[] = [];
  const one = (key: string): string | undefined => {
    const v = Object.hasOwn(raw, key) ? raw[key] : undefined;
    if (Array.isArray(v)) {
      errors.push({ path: key, message: 'must be given once' });
      return undefined;
    }
    return v;
  };

  const page = parsePage(one, errors);
  const cursor = parseCursor(one('_cursor'), errors);
  const { limit } = page;
  const offset = cursor ? cursor.offset : page.offset;
  const { sort, explicit } = parseSort(one, spec, errors);
  const filters: Filter[] = [];
  let q: string | undefined;

  for (const [key, value] of Object.entries(raw)) {
    // `fields` chooses what each record shows (sparse-fields.ts), not which records.
    if (value === undefined || PAGE_KEYS.includes(key) || SORT_KEYS.includes(key) || key === 'filter' || key === FIELDS_PARAM) continue;
    const values = Array.isArray(value) ? value : [value];
    if (key === 'q') {
      q = joinSearch(values, key, errors);
      continue;
    }
    addFilter(filters, errors, spec, key, values, key);
  }

  const filterJson = one('filter');
  if (filterJson !== undefined && filterJson !== '') {
    let obj: unknown;
    try {
      obj = JSON.parse(filterJson);
    } catch {
      errors.push({ path: 'filter', message: 'must be a JSON object' });
    }
    if (obj !== undefined) {
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) errors.push({ path: 'filter', message: 'must be a JSON object' });
      else {
        for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
          const values = Array.isArray(value) ? value : [value];
          if (key === 'q') {
            if (values.some((v) => typeof v !== 'string')) errors.push({ path: 'filter.q', message: 'must be a string' });
            else q = joinSearch(values as string[], 'filter.q', errors);
            continue;
          }
          addFilter(filters, errors, spec, key, values, `filter.${key}`);
        }
      }
    }
  }

  if (errors.length > 0) {
    // Keyed as the client sent them: `query._sort`, `query.filter.title` (API.md §1).
    throw badRequest(`Invalid list query: ${summary(errors)}.`, errors.map((e) => ({ ...e, path: `query.${e.path}` })));
  }
  return { offset, limit, cursor, sort, explicitSort: explicit, filters, q };
}

/** The first few errors, for the detail; the list itself is in `errors`. */
function summary(errors: FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${short(e.path)} ${e.message}`).join('; ');
  return errors.length > 3 ? `${shown}; and ${errors.length - 3} more` : shown;
}

/** A client's name inside a message, cut short: a message must not grow with the input. */
const short = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);
const quoted = (name: string) => JSON.stringify(short(name));

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.offset, c.values])).toString('base64url');
}

function parseCursor(raw: string | undefined, errors: FieldError[]): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const [offset, values] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(offset) && (offset as number) >= 0 && Array.isArray(values) && values.length > 0 && values.length <= MAX_SORT_FIELDS + 1) {
      return { offset: offset as number, values };
    }
  } catch {
    /* reported below */
  }
  errors.push({ path: '_cursor', message: 'is not a cursor this API issued' });
  return undefined;
}

function joinSearch(values: string[], path: string, errors: FieldError[]): string | undefined {
  const q = values.join(' ').normalize('NFC').trim();
  if (q.includes('\0')) {
    errors.push({ path, message: NUL_MESSAGE });
    return undefined;
  }
  return q === '' ? undefined : q;
}

// PostgreSQL text cannot hold U+0000: such a value could match nothing, and would fail in the driver.
const NUL_MESSAGE = 'must not contain the character U+0000';

function parseNonNegative(one: (k: string) => string | undefined, key: string, errors: FieldError[]): number | undefined {
  const v = one(key);
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) {
    errors.push({ path: key, message: 'must be a non-negative integer' });
    return undefined;
  }
  return Number(v);
}

function parsePage(one: (k: string) => string | undefined, errors: FieldError[]): { offset: number; limit: number } {
  const start = parseNonNegative(one, '_start', errors);
  const end = parseNonNegative(one, '_end', errors);
  const page = parseNonNegative(one, '_page', errors);
  const perPage = parseNonNegative(one, '_limit', errors) ?? parseNonNegative(one, '_per_page', errors);
  const rangeRaw = one('range');

  let offset = 0;
  let limit = DEFAULT_PAGE_SIZE;
  if (rangeRaw !== undefined) {
    let range: unknown;
    try {
      range = JSON.parse(rangeRaw);
    } catch {
      /* reported below */
    }
    if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isSafeInteger(n) && n >= 0) || range[1] < range[0] || range[0] > MAX_OFFSET) {
      errors.push({ path: 'range', message: `must be [first, last] with 0 ≤ first ≤ last and first ≤ ${MAX_OFFSET}` });
    } else {
      offset = range[0];
      limit = range[1] - range[0] + 1;
    }
  } else if (start !== undefined || end !== undefined) {
    offset = start ?? 0;
    if (end !== undefined) {
      if (end < offset) errors.push({ path: '_end', message: 'must not be less than _start' });
      limit = end - offset;
    } else if (perPage !== undefined) limit = perPage;
  } else if (page !== undefined || perPage !== undefined) {
    limit = perPage ?? DEFAULT_PAGE_SIZE;
    if (page === 0) errors.push({ path: '_page', message: 'starts at 1' });
    offset = ((page ?? 1) - 1) * limit;
    if (offset > MAX_OFFSET) errors.push({ path: '_page', message: `starts past row ${MAX_OFFSET}` });
  }
  return { offset, limit: Math.max(0, Math.min(limit, MAX_PAGE_SIZE)) };
}

function parseSort(
  one: (k: string) => string | undefined,
  spec: ListSpecShape,
  errors: FieldError[],
): { sort: SortTerm[]; explicit: boolean } {
  const terms: SortTerm[] = [];
  const simple = one('sort');
  const fields = one('_sort');
  const path = simple !== undefined && simple !== '' ? 'sort' : '_sort';
  if (path === 'sort') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(simple!);
    } catch {
      /* reported below */
    }
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
      errors.push({ path, message: 'must be ["field","ASC"|"DESC"]' });
    } else {
      terms.push({ field: parsed[0], dir: parseDir(parsed[1], path, errors) });
    }
  } else if (fields !== undefined && fields !== '') {
    const names = fields.split(',').map((s) => s.trim());
    if (names.length > MAX_SORT_FIELDS) {
      errors.push({ path, message: `names at most ${MAX_SORT_FIELDS} fields` });
      return { sort: spec.defaultSort, explicit: false };
    }
    const orders = (one('_order') ?? '').split(',').map((s) => s.trim());
    names.forEach((name, i) => {
      // json-server also accepts "-field" for descending.
      const desc = name.startsWith('-');
      const field = desc ? name.slice(1) : name;
      const order = orders[i] || orders[0] || (desc ? 'desc' : 'asc');
      terms.push({ field, dir: parseDir(order, '_order', errors) });
    });
  }
  for (const term of terms) {
    const def = fieldOf(spec, term.field);
    if (!def || def.sortable === false) errors.push({ path, message: `cannot sort on ${quoted(term.field)}` });
  }
  return terms.length > 0 ? { sort: terms, explicit: true } : { sort: spec.defaultSort, explicit: false };
}

function parseDir(v: string, path: string, errors: FieldError[]): 'asc' | 'desc' {
  const d = v.toLowerCase();
  if (d !== 'asc' && d !== 'desc') errors.push({ path, message: `must be asc or desc (got ${quoted(v)})` });
  return d === 'desc' ? 'desc' : 'asc';
}

function splitOp(key: string): { field: string; op: FilterOp } {
  for (const op of OPS) {
    if (key.endsWith(`_${op}`)) return { field: key.slice(0, -op.length - 1), op };
  }
  return { field: key, op: 'eq' };
}

function addFilter(filters: Filter[], errors: FieldError[], spec: ListSpecShape, key: string, raw: unknown[], path: string): void {
  const { field, op } = splitOp(key);
  if (raw.length > MAX_FILTER_VALUES) {
    errors.push({ path, message: `takes at most ${MAX_FILTER_VALUES} values` });
    return;
  }
  if (spec.extraFilters?.includes(field) && op === 'eq') {
    const values = raw.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map((v) => String(v).normalize('NFC'));
    if (values.length !== raw.length) errors.push({ path, message: 'must be a string' });
    else if (values.length === 0) errors.push({ path, message: 'needs a value' });
    else if (values.some((v) => v.includes('\0'))) errors.push({ path, message: NUL_MESSAGE });
    else filters.push({ field, op, values });
    return;
  }
  const def = fieldOf(spec, field);
  if (!def || def.filterable === false) {
    errors.push({ path, message: `unknown filter ${quoted(key)}` });
    return;
  }
  if (op === 'like' && def.type !== 'text') {
    errors.push({ path, message: `_like applies to text fields only` });
    return;
  }
  if ((op === 'gte' || op === 'lte') && !['int', 'timestamp', 'text'].includes(def.type)) {
    errors.push({ path, message: `_${op} does not apply to this field` });
    return;
  }
  if (raw.length === 0) {
    errors.push({ path, message: 'needs a value' });
    return;
  }
  const values: FilterValue[] = [];
  for (const v of raw) {
    const parsed = parseValue(def, v);
    if (parsed instanceof Error) {
      errors.push({ path, message: parsed.message });
      return;
    }
    values.push(parsed);
  }
  if ((op === 'gte' || op === 'lte' || op === 'like') && values.length !== 1) {
    errors.push({ path, message: 'takes a single value' });
    return;
  }
  if (values.includes(null) && op !== 'eq' && op !== 'ne') {
    errors.push({ path, message: 'cannot compare with null' });
    return;
  }
  filters.push({ field, op, values });
}

function parseValue(def: FieldDef, v: unknown): FilterValue | Error {
  if (v === null || (v === 'null' && def.nullable && def.type !== 'text')) {
    return def.nullable ? null : new Error('cannot be null');
  }
  const s = typeof v === 'string' ? v.normalize('NFC') : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (s === undefined) return new Error('must be a string, number or boolean');
  switch (def.type) {
    case 'int':
      return /^-?\d{1,10}$/.test(s) && Math.abs(Number(s)) <= 2147483647 ? Number(s) : new Error(`must be an integer (got ${quoted(s)})`);
    case 'bool':
      return s === 'true' ? true : s === 'false' ? false : new Error(`must be true or false (got ${quoted(s)})`);
    case 'enum':
      return def.values?.includes(s) ? s : new Error(`must be one of ${def.values?.join(', ')} (got ${quoted(s)})`);
    case 'timestamp': {
      const d = /^\d{4}-\d{2}-\d{2}/.test(s) ? new Date(s) : undefined;
      return d && isStorableDate(d) ? d : new Error(`must be an ISO 8601 date from year 1 to 9999 (got ${quoted(s)})`);
    }
    case 'text':
    case 'tag':
      return s.includes('\0') ? new Error(NUL_MESSAGE) : s;
  }
}

/** A date PostgreSQL reads back from its ISO form: years 1 to 9999 (a 4-digit year can still round past them). */
export function isStorableDate(d: Date): boolean {
  const year = d.getUTCFullYear();
  return !Number.isNaN(d.getTime()) && year >= 1 && year <= 9999;
}
