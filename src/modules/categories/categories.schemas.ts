import { Type } from '@fastify/type-provider-typebox';
import { Id, Nullable, NullMeans, OptionalNullable, OptionalText, ReadOnlyOnWrite, RecordMeta, VersionPrecondition } from '../../lib/schemas.js';

export const Category = Type.Object(
  {
    ...RecordMeta,
    name: Type.String(),
    slug: Type.String(),
    url: Type.String({ format: 'uri', description: 'Where the website shows it (CATEGORY_URL_TEMPLATE).' }),
    description: Type.String(),
    parentId: Nullable(Id),
    position: Type.Integer(),
  },
  { title: 'Category' },
);

const Name = Type.String({ minLength: 1, maxLength: 200 });

/** The writable fields, each optional; `null` means empty (API.md §1). */
const writable = {
  // Derived from the slug: returned, and ignored when an admin UI sends it back (API.md §3).
  url: Type.Optional(Type.Unknown()),
  name: Type.Optional(Name),
  slug: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 120, description: 'null or absent on create: derived from the name' }))),
  description: OptionalText(Type.String({ maxLength: 5000 })),
  parentId: OptionalNullable(Id),
  position: Type.Optional(NullMeans(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }), 0, 'the default position, 0')),
};

export const CreateCategoryBody = Type.Object({ ...writable, name: Name, ...ReadOnlyOnWrite, ...VersionPrecondition }, { additionalProperties: false });

/** The same fields, each optional (Partial keeps no options: extra properties stay refused). */
export const UpdateCategoryBody = Type.Partial(CreateCategoryBody, { additionalProperties: false });
