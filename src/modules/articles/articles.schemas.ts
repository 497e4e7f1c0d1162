import { Type } from '@fastify/type-provider-typebox';
import { Id, Nullable, OptionalList, OptionalNullable, OptionalText, StringEnum, ReadOnlyOnWrite, RecordMeta, Timestamp, VersionPrecondition } from '../../lib/schemas.js';
import { STATUSES } from '../../workflow/states.js';
import { articleContentSchema } from './public-article.js';
import { SeoInput, StaffSeo } from './article-seo.js';

export const StatusSchema = StringEnum(STATUSES);

const Credit = Type.Object(
  { role: Type.String({ minLength: 1, maxLength: 50 }), name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const Live = Nullable(Type.Object({ publishedAt: Timestamp, revisionId: Nullable(Type.Integer()) }));

/** The working copy, as staff see it: the public article's content fields, and the workflow's. */
export const Article = Type.Object(
  {
    ...RecordMeta,
    ...articleContentSchema(),
    authorId: Nullable(Id),
    status: StatusSchema,
    publishedAt: Nullable(Timestamp),
    publishAt: Nullable(Timestamp),
    seo: StaffSeo,
    live: Live,
  },
  { title: 'Article' },
);

// The public shapes are defined once, with the SQL that writes them.
export { PreviewArticle, PUBLIC_ARTICLE_FIELDS, PublicArticle } from './public-article.js';

const Title = Type.String({ minLength: 1, maxLength: 300 });

/** The writable fields, each optional; `null` means empty (API.md §1). */
const writable = {
  title: Type.Optional(Title),
  slug: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'null or absent on create: derived from the title' }))),
  summary: OptionalText(Type.String({ maxLength: 5000 })),
  body: OptionalText(Type.String({ maxLength: 500_000 })),
  categoryId: OptionalNullable(Id),
  tags: OptionalList(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  coverMediaId: OptionalNullable(Id),
  credits: OptionalList(Type.Array(Credit, { maxItems: 30 })),
  seo: SeoInput,
};

/** Returned by the API but never written from a body (API.md §3). */
const readOnly = {
  ...ReadOnlyOnWrite,
  authorId: Type.Optional(Type.Unknown()),
  category: Type.Optional(Type.Unknown()),
  cover: Type.Optional(Type.Unknown()),
  live: Type.Optional(Type.Unknown()),
  publishedAt: Type.Optional(Type.Unknown()),
};

export const CreateArticleBody = Type.Object(
  {
    ...writable,
    title: Title,
    status: Type.Optional(StatusSchema),
    ...readOnly,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);

export const UpdateArticleBody = Type.Object(
  {
    ...writable,
    status: Type.Optional(StatusSchema),
    comment: OptionalText(Type.String({ maxLength: 5000 })),
    publishAt: OptionalNullable(Type.String({ format: 'date-time' })),
    ...readOnly,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);
