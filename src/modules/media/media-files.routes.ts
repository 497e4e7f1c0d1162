// Public media files under stable URLs (PUBLIC_URL/media/<generated name>), outside /api/v1:
// no token is read, so a browser's <img> and a CDN get the same answer.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { notFound } from '../../lib/problem.js';
import { CONTENT_TYPE_BY_EXT } from './media.kinds.js';
import { fileIdOf, PUBLIC_FILE_NAME } from './media.keys.js';
import { findMediaIdByFileId } from './media.queries.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { mediaFileKeys } from '../cache-keys.js';
import { IMMUTABLE, sendStoredFile } from './media.files.js';

export const mediaFileRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  // HEAD is declared, not derived: Fastify's derived HEAD would read the whole file and report
  // a Content-Length of 0.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/:name',
    schema: { hide: true, params: Type.Object({ name: Type.String({ maxLength: 64 }) }) },
    handler: async (req, reply) => {
      // Only names we generate are served: no path, no original, no temporary object.
      const m = PUBLIC_FILE_NAME.exec(req.params.name);
      const contentType = m ? CONTENT_TYPE_BY_EXT[m[1]] : undefined;
      if (!contentType) throw notFound('File');
      const mediaId = await findMediaIdByFileId(ctx.db, fileIdOf(req.params.name));
      if (mediaId !== undefined) setSurrogateKeys(reply, mediaFileKeys(mediaId));
      // A key is written once and never reused, so its bytes never change.
      return sendStoredFile(req, reply, ctx.storage, { key: req.params.name, contentType, etag: `"${req.params.name.split('.')[0]}"`, cacheControl: IMMUTABLE });
    },
  });
};
