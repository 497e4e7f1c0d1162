import { Type } from '@fastify/type-provider-typebox';
import { Id, NullMeans, OptionalList, OptionalText, ReadOnlyOnWrite, RecordMeta, Timestamp, VersionPrecondition } from '../../lib/schemas.js';
import { PublicArticle } from '../articles/public-article.js';
import { MAX_ITEMS, MAX_SHOWN } from './collection-items.js';

export const Collection = Type.Object(
  {
    ...RecordMeta,
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    maxItems: Type.Integer({ description: 'How many live articles the public view shows' }),
    items: Type.Array(Id, { description: "Article ids in the editors' order; any status" }),
  },
  { title: 'Collection' },
);

/** What anonymous readers get: the live articles in the editors' order, at most maxItems. */
export const PublicCollection = Type.Object(
  {
    id: Id,
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    maxItems: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    articles: Type.Array(PublicArticle),
  },
  { title: 'PublicCollection' },
);

const Name = Type.String({ minLength: 1, maxLength: 200 });
export const DEFAULT_MAX_ITEMS = 10;

/** The writable fields, each optional; `null` means empty or the default (API.md §1). */
const writable = {
  name: Type.Optional(Name),
  slug: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 120 }), Type.Null()], { description: 'null or absent on create: derived from the name' })),
  description: OptionalText(Type.String({ maxLength: 5000 })),
  maxItems: Type.Optional(NullMeans(Type.Integer({ minimum: 1, maximum: MAX_SHOWN }), DEFAULT_MAX_ITEMS, `the default, ${DEFAULT_MAX_ITEMS}`)),
  items: OptionalList(Type.Array(Id, { maxItems: MAX_ITEMS, description: `Article ids in order, each once, at most ${MAX_ITEMS}` })),
};

export const CreateCollectionBody = Type.Object({ ...writable, name: Name, ...ReadOnlyOnWrite, ...VersionPrecondition }, { additionalProperties: false });

export const UpdateCollectionBody = Type.Object({ ...writable, ...ReadOnlyOnWrite, ...VersionPrecondition }, { additionalProperties: false });
