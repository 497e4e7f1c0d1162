import { Type } from '@fastify/type-provider-typebox';
import { Id, IdParam, Nullable, NullMeans, Timestamp } from '../../lib/schemas.js';

export const MAX_PREVIEW_SECONDS = 604_800;
export const DEFAULT_PREVIEW_SECONDS = 3600;

export const CreatePreviewLinkBody = Type.Object(
  {
    expiresIn: Type.Optional(
      NullMeans(Type.Integer({ minimum: 1, maximum: MAX_PREVIEW_SECONDS, description: 'Seconds; default 3600, at most 604800 (7 days)' }), DEFAULT_PREVIEW_SECONDS, 'the default, 3600'),
    ),
  },
  { additionalProperties: false },
);

export const PreviewLink = Type.Object({
  id: Id,
  articleId: Id,
  createdBy: Nullable(Id),
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const CreatedPreviewLink = Type.Object({
  ...PreviewLink.properties,
  token: Type.String({ description: 'Shown once; only its hash is stored' }),
  url: Type.String(),
});

export const LinkParams = Type.Object({ id: IdParam, linkId: IdParam });
// No pattern or length: a malformed token is one more unknown token, answered by the same 404
// (and counted by the same guessing limit) as any other.
export const TokenParams = Type.Object({ token: Type.String() });
