import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendJsonBytes } from '../../lib/json-bytes.js';
import { IdOrSlugParams } from '../../lib/schemas.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { PublicArticle } from './public-article.js';
import { DEFAULT_RELATED, getRelatedArticles, MAX_RELATED } from './related.service.js';

const RelatedQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RELATED, default: DEFAULT_RELATED, description: `At most ${MAX_RELATED}` })) },
  { additionalProperties: false },
);

export const relatedRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/:idOrSlug/related',
    {
      config: { access: 'public', publicCache: true },
      schema: {
        tags: ['articles'],
        summary: 'Live articles that share tags with this one (more shared first), then from its category; newest first',
        params: IdOrSlugParams,
        querystring: RelatedQuery,
        response: { 200: Type.Unsafe<unknown>(Type.Array(PublicArticle)) },
      },
    },
    async (req, reply) => {
      const related = await getRelatedArticles(ctx, req.params.idOrSlug, req.query.limit ?? DEFAULT_RELATED);
      setSurrogateKeys(reply, related.keys);
      return sendJsonBytes(reply, related.json);
    },
  );
};
