// Turns schema-validation failures into the `errors` of a problem (API.md §1): one message per
// field, keyed by the field's path as the client wrote it, in words for the people who read them
// next to a form field ("must have at most 300 characters", not Ajv's "must NOT have more than
// 300 characters").
import type { ErrorObject } from 'ajv';
import type { FieldError } from './problem.js';

/** Where the failing value was: Fastify's validation contexts. */
export type ValidationContext = 'body' | 'querystring' | 'params' | 'headers';

const PREFIX: Record<ValidationContext, string> = { body: '', querystring: 'query.', params: 'path.', headers: 'header.' };

const TYPE_NAMES: Record<string, string> = {
  string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object', null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'a date and time in ISO 8601 (2026-12-06T08:00:00Z)',
  date: 'a date (2026-12-06)',
  email: 'an email address',
  uri: 'a URL',
  url: 'a URL',
  uuid: 'a UUID',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type': {
      if ((e as { data?: unknown }).data === null) return 'is required';
      const types = String(p.type).split(',').filter((t) => t !== 'null');
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}`;
    }
    case 'maxLength':
      return `must have at most ${plural(Number(p.limit), 'character')}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'character')}`;
    case 'maxItems':
      return `must have at most ${plural(Number(p.limit), 'item')}`;
    case 'minItems':
      return Number(p.limit) === 1 ? 'must not be empty' : `must have at least ${plural(Number(p.limit), 'item')}`;
    case 'uniqueItems':
      return 'must not repeat an item';
    case 'maxProperties':
      return `must have at most ${plural(Number(p.limit), 'field')}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(p.limit)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'format':
      return `must be ${FORMAT_NAMES[String(p.format)] ?? `in the ${String(p.format)} format`}`;
    case 'pattern':
      return 'is not in the expected format';
    default:
      return 'is invalid';
  }
}

/** The key of an error: the failing field's path, dot-separated (`credits.0.name`). */
function keyOf(e: ErrorObject, context: ValidationContext): string {
  const p = e.params as Record<string, unknown>;
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof p.missingProperty === 'string') segments.push(p.missingProperty);
  if (typeof p.additionalProperty === 'string') segments.push(p.additionalProperty);
  const path = segments.join('.');
  return path === '' ? PREFIX[context].replace(/\.$/, '') || 'body' : `${PREFIX[context]}${path}`;
}

// A nullable field is a union: its branches fail as "must be null" and "must match a schema in
// anyOf" beside the error that says what is wrong. Those two never help the reader.
const isNoise = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || (e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null');

export function fieldErrors(errors: readonly ErrorObject[], context: ValidationContext): FieldError[] {
  const useful = errors.filter((e) => !isNoise(e));
  const chosen = useful.length > 0 ? useful : errors;
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of chosen) {
    const path = keyOf(e, context);
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: describe(e) });
  }
  return out;
}
