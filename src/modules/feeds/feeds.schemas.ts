import { Type } from '@fastify/type-provider-typebox';
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT } from './feeds.service.js';

export const FeedQuerystring = Type.Object({
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A category slug: its articles and those of its sub-categories. An unknown slug is a 404.' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only articles with this tag.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT, description: `The newest this many live articles (default ${DEFAULT_FEED_LIMIT}).` })),
});

/** A 200 whose body is a document of this media type (OpenAPI), sent as bytes. */
export const documentResponse = (mediaType: string, description: string) => ({
  description,
  headers: {
    etag: { type: 'string' },
    'last-modified': { type: 'string', description: 'The newest change of anything in it; If-Modified-Since gets a 304.' },
    'surrogate-key': { type: 'string', description: 'The cache keys of what it shows (also as Cache-Tag).' },
  },
  content: { [mediaType]: { schema: { type: 'string' } } },
});
