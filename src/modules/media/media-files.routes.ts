// Public media files under stable URLs (PUBLIC_URL/media/<generated name>), outside /api/v1:
// no token is read, so a browser's <img> and a CDN get the same answer. With a query, an
// image on demand (media.derivatives.ts): any size and shape a layout needs.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { notFound } from '../../lib/problem.js';
import type { MediaFront } from './media-files.front.js';
import { createDerivatives } from './media.derivatives.js';
import { CONTENT_TYPE_BY_EXT } from './media.kinds.js';
import { fileIdOf, PUBLIC_FILE_NAME } from './media.keys.js';
import { findMediaIdByFileId } from './media.queries.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { mediaFileKeys } from '../cache-keys.js';
import { IMMUTABLE, sendStoredFile } from './media.files.js';

/** The query exactly as sent: image signatures cover those bytes. */
const rawQueryOf = (url: string) => {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
};

export const mediaFileRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; front?: MediaFront }> = async (app, { ctx, front }) => {
  const derivatives = createDerivatives(ctx);
  // The stored file each answer sent, for the front to replay it (media-files.front.ts).
  const sent = new WeakMap<object, string>();
  if (front) {
    app.addHook('onSend', async (request, reply, payload) => {
      const key = sent.get(request);
      if (key !== undefined) front.record(request, reply, key);
      return payload;
    });
  }

  // HEAD is declared, not derived: Fastify's derived HEAD would read the whole file and report
  // a Content-Length of 0.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/:name',
    schema: { hide: true, params: Type.Object({ name: Type.String({ maxLength: 64 }) }) },
    handler: async (req, reply) => {
      // Only names we generate are served: no path, no original, no temporary object.
      const m = PUBLIC_FILE_NAME.exec(req.params.name);
      const contentType = m ? CONTENT_TYPE_BY_EXT[m[3]] : undefined;
      if (!contentType) throw notFound('File');
      const mediaId = await findMediaIdByFileId(ctx.db, fileIdOf(req.params.name));
      if (mediaId !== undefined) setSurrogateKeys(reply, mediaFileKeys(mediaId));
      const derived = await derivatives.answer(req.params.name, rawQueryOf(req.url), req.headers.accept);
      if (derived) {
        if (derived.varyAccept) {
          // Added to what is there (Origin, from CORS), not in its place.
          const vary = reply.getHeader('vary');
          reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
        }
        if ('redirect' in derived) return reply.code(302).header('location', derived.redirect).header('cache-control', derivatives.redirectCacheControl).send();
        sent.set(req, derived.file.key);
        return sendStoredFile(req, reply, ctx.storage, derived.file);
      }
      sent.set(req, req.params.name);
      // A key is written once and never reused, so its bytes never change.
      return sendStoredFile(req, reply, ctx.storage, { key: req.params.name, contentType, etag: `"${req.params.name.split('.')[0]}"`, cacheControl: IMMUTABLE });
    },
  });
};
