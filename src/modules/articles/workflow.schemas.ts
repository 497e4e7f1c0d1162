import { Type } from '@fastify/type-provider-typebox';
import { Id, IdParam, Nullable, OptionalNullable, OptionalText, StringEnum, Timestamp } from '../../lib/schemas.js';
import { ACTIONS, STATUSES } from '../../workflow/states.js';
import { StaffSeo } from './article-seo.js';

export const TransitionBody = Type.Object(
  {
    action: StringEnum(ACTIONS),
    comment: OptionalText(Type.String({ maxLength: 5000 })),
    publishAt: OptionalNullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const HistoryEntry = Type.Object({
  id: Id,
  action: Type.String({ description: 'A workflow action, or "edit" when saving sent a published or scheduled article back to draft' }),
  from: StringEnum(STATUSES),
  to: StringEnum(STATUSES),
  actorId: Nullable(Id),
  actor: Nullable(Type.Object({ id: Id, name: Type.String() })),
  comment: Nullable(Type.String()),
  at: Timestamp,
});

export const Revision = Type.Object({
  id: Id,
  articleId: Id,
  authorId: Nullable(Id),
  createdAt: Timestamp,
  content: Type.Object({
    title: Type.String(),
    slug: Type.String(),
    summary: Type.String(),
    body: Type.String(),
    categoryId: Nullable(Id),
    tags: Type.Array(Type.String()),
    coverMediaId: Nullable(Id),
    credits: Type.Array(Type.Object({ role: Type.String(), name: Type.String() })),
    seo: StaffSeo,
  }),
});

export const RevisionParams = Type.Object({
  id: IdParam,
  revisionId: IdParam,
});
