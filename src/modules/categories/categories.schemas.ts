import { Type } from '@fastify/type-provider-typebox';
import { Id, Nullable, ReadOnlyOnWrite, RecordMeta, VersionPrecondition } from '../../lib/schemas.js';

export const Category = Type.Object(
  {
    ...RecordMeta,
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    parentId: Nullable(Id),
    position: Type.Integer(),
  },
  { title: 'Category' },
);

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  slug: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.String({ maxLength: 5000 }),
  parentId: Nullable(Id),
  position: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
};

export const CreateCategoryBody = Type.Object(
  {
    name: writable.name,
    slug: Type.Optional(writable.slug),
    description: Type.Optional(writable.description),
    parentId: Type.Optional(writable.parentId),
    position: Type.Optional(writable.position),
    ...ReadOnlyOnWrite,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);

export const UpdateCategoryBody = Type.Object(
  {
    name: Type.Optional(writable.name),
    slug: Type.Optional(writable.slug),
    description: Type.Optional(writable.description),
    parentId: Type.Optional(writable.parentId),
    position: Type.Optional(writable.position),
    ...ReadOnlyOnWrite,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);
