// Sparse fieldsets (API.md §10): `fields=id,title,slug` on any list or record returns just those
// fields, `id` always. Pure: the parser of the parameter and the projection of a JSON payload,
// shared by every route (plugins/sparse-fields.ts) and by the article lists, whose SQL writes
// only the fields asked for.
import { badRequest } from './problem.js';

/** The query parameter's name; list filters never read it (list-query.ts). */
export const FIELDS_PARAM = 'fields';
/** Always sent when the record has it, so that a client can key what it reads. */
const ALWAYS = 'id';
/** More names than any record has: a longer list is refused before it is looked at. */
const MAX_NAMES = 100;

/** A client's name inside a message, cut short: a message must not grow with the input. */
const quoted = (name: string) => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);

const refuse = (message: string) => badRequest(`Invalid fields: ${message}.`, [{ path: `query.${FIELDS_PARAM}`, message }]);

/**
 * The fields a `fields` parameter selects, in the record's own order (`allowed`), with `id`;
 * undefined when the parameter is absent or empty (every field). Names are looked up as exact
 * members of `allowed`, so a name every object inherits (`constructor`, `__proto__`) is as
 * unknown as any other. Order and repetition in the parameter do not change the result.
 */
export function parseFields(raw: unknown, allowed: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw refuse('must be given once, as a comma-separated list');
  if (raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim());
  if (names.length > MAX_NAMES) throw refuse(`names at most ${MAX_NAMES} fields`);
  if (names.includes('')) throw refuse('has an empty name (a comma too many?)');
  const unknown = names.filter((n) => !allowed.includes(n));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map(quoted).join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
    throw refuse(`${shown} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of this resource; choose from ${allowed.join(', ')}`);
  }
  return allowed.filter((f) => f === ALWAYS || names.includes(f));
}

/** The record with only `fields`, in their order; a field the record lacks stays absent. */
export function pickFields(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(record, f)) out[f] = record[f];
  return out;
}

/** A JSON record, or array of records, with only `fields` in each. */
export function projectJson(payload: string | Buffer, fields: readonly string[]): string {
  const value: unknown = JSON.parse(payload.toString());
  const pick = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? pickFields(v as Record<string, unknown>, fields) : v);
  return JSON.stringify(Array.isArray(value) ? value.map(pick) : pick(value));
}
