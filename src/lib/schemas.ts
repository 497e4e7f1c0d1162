// TypeBox pieces every resource shares.
import { Type, type TSchema } from '@fastify/type-provider-typebox';

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
/** An id in the path; one that is not a record id (`abc`, `9999999999`) names nothing: 404. */
export const IdParam = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Record id' });
export const IdParams = Type.Object({ id: IdParam });
export const IdOrSlugParams = Type.Object({ idOrSlug: Type.String({ minLength: 1, maxLength: 200, description: 'Record id or slug' }) });
// Dates leave as ISO strings (fast-json-stringify formats Date objects); the static type is Date.
export const Timestamp = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
/** A string enum whose static type keeps its literal values. */
export const StringEnum = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

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
