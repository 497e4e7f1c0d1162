// TypeBox pieces every resource shares.
import { type Static, Type, type TArray, type TSchema, type TString } from '@fastify/type-provider-typebox';

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
/** An id in the path; one that is not a record id (`abc`, `9999999999`) names nothing: 404. */
export const IdParam = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Record id' });
export const IdParams = Type.Object({ id: IdParam });
// No record's slug holds a NUL (PostgreSQL text cannot): such a path names nothing, a 404 (API.md §3).
export const IdOrSlugParams = Type.Object({ idOrSlug: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000]+$', description: 'Record id or slug' }) });
// Dates leave as ISO strings (fast-json-stringify formats Date objects); the static type is Date.
export const Timestamp = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
/** A string enum whose static type keeps its literal values. */
export const StringEnum = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * The body validator's keyword (plugins/validation.ts) for fields where `null` means "empty":
 * the null is replaced by the keyword's value before any handler reads the body.
 */
export const NULL_MEANS = 'x-null-means';

/**
 * A body field where `null` means "empty" (API.md §1: admin UIs send null for a cleared input).
 * The schema accepts null, so OpenAPI shows it; the validator stores `empty` in its place, so the
 * handler's type (and value) never holds null.
 */
export function NullMeans<T extends TSchema>(schema: T, empty: Static<T>, meaning: string) {
  return Type.Unsafe<Static<T>>({ anyOf: [schema, Type.Null()], [NULL_MEANS]: empty, description: `null means ${meaning}` });
}

/** Optional text: null is stored as "". */
export const OptionalText = <T extends TString>(t: T) => Type.Optional(NullMeans(t, '' as Static<T>, 'empty ("")'));

/** An optional list (tags, credits): null is stored as []. */
export const OptionalList = <T extends TArray>(t: T) => Type.Optional(NullMeans(t, [] as Static<T>, 'empty ([])'));

/** An optional reference or date: null is stored as null (no category, no cover, no schedule). */
export const OptionalNullable = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));

export const RecordMeta = {
  id: Id,
  version: Type.Integer({ description: 'Increases with every change; send it back (or If-Match) to guard against lost updates.' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** Fields the API returns but a client may send back on write: accepted and ignored (API.md §3). */
export const ReadOnlyOnWrite = {
  id: Type.Optional(Type.Unknown()),
  createdAt: Type.Optional(Type.Unknown()),
  updatedAt: Type.Optional(Type.Unknown()),
};

/** A body `version` is a precondition, never a value to store. */
export const VersionPrecondition = { version: Type.Optional(Type.Integer({ minimum: 0 })) };

export const ListQuerystring = Type.Object(
  {
    _start: Type.Optional(Type.String()),
    _end: Type.Optional(Type.String()),
    _page: Type.Optional(Type.String()),
    _limit: Type.Optional(Type.String()),
    _sort: Type.Optional(Type.String()),
    _order: Type.Optional(Type.String()),
    range: Type.Optional(Type.String({ description: 'ra-data-simple-rest: [first,last]' })),
    sort: Type.Optional(Type.String({ description: 'ra-data-simple-rest: ["field","ASC"]' })),
    filter: Type.Optional(Type.String({ description: 'ra-data-simple-rest: a JSON object of filters' })),
    q: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'Plus field=value, field_ne, field_gte, field_lte, field_like filters (API.md §2)' },
);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    message: Type.String(),
    code: Type.String(),
    errors: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'One message per field, keyed by its path in the body (`title`, `credits.0.name`) or `query.<name>` / `path.<name>`; at most 20.',
      }),
    ),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details; `message` repeats `detail`.' },
);
