import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { payloadTooLarge, Problem, unsupportedMediaType } from '../../lib/problem.js';
import { sendRecord } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf, sendCreated } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { sendStoredFile } from './media.files.js';
import { Media, UpdateMediaBody } from './media.schemas.js';
import * as svc from './media.service.js';
import { MULTIPART_OVERHEAD_BYTES, TEXT_FIELDS } from './media.upload.js';

/** Aborted when the client goes away before the response is written. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('The client disconnected.'));
  });
  return controller.signal;
}

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['media'];
  const read = { access: 'media.read' as const };

  // Registered here, not on the root: only this plugin accepts multipart bodies.
  await app.register(multipart, {
    limits: {
      fileSize: ctx.config.mediaMaxBytes,
      // Two, so that a second file gets a clear 400 rather than a 413.
      files: 2,
      // More than we take, for the same reason.
      fields: 10,
      // Bytes: a character takes up to 4 in UTF-8.
      fieldSize: Math.max(...Object.values(TEXT_FIELDS)) * 4,
      parts: 12,
    },
  });

  app.get('/', { config: read, schema: { tags, querystring: ListQuerystring, response: { 200: Type.Array(Media) } } }, async (req, reply) =>
    sendList(req, reply, 'media', await svc.listMedia(ctx, queryOf(req))),
  );

  app.post(
    '/',
    {
      // The file streams through as it arrives: however slow, only a long pause cuts it off.
      config: { access: 'media.upload', streamedBody: true },
      schema: {
        tags,
        consumes: ['multipart/form-data'],
        description: `One "file" part (${Object.keys(TEXT_FIELDS).join(', ')} optional). The type comes from the bytes; the limit is MEDIA_MAX_BYTES.`,
        response: { 201: Media },
      },
      // The size is known before a byte is read: too large is a 413 before any look at the type.
      onRequest: async (req, reply) => {
        const length = Number(req.headers['content-length']);
        if (length > ctx.config.mediaMaxBytes + MULTIPART_OVERHEAD_BYTES) {
          reply.header('connection', 'close');
          throw payloadTooLarge(`The file is larger than the limit of ${ctx.config.mediaMaxBytes} bytes.`);
        }
      },
    },
    async (req: FastifyRequest, reply) => {
      if (!req.isMultipart()) throw unsupportedMediaType('Send the file as multipart/form-data.');
      const gone = clientGone(reply);
      try {
        const media = await svc.uploadMedia(ctx, actorOf(req), req.parts(), gone, req.bodyIdle ?? undefined);
        return sendCreated(reply, `/api/v1/media/${media.id}`, media);
      } catch (err) {
        // A client that went away is not our error (and its ECONNRESET is not the database's).
        if (gone.aborted || req.raw.socket?.destroyed) throw new Problem(400, 'client_disconnected', 'The client disconnected before the upload was complete.');
        // The rest of a refused body may still be on its way: plugins/slow-clients.ts closes the connection.
        throw err;
      }
    },
  );

  app.get('/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Media } } }, async (req, reply) =>
    sendRecord(reply, await svc.getMedia(ctx, idOf(req))),
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/:id/original',
    config: read,
    schema: { tags, params: IdParams, description: 'The pristine upload, metadata included (staff only).' },
    handler: async (req, reply) => {
      const original = await svc.getOriginal(ctx, idOf(req));
      return sendStoredFile(req, reply, ctx.storage, { ...original, cacheControl: 'private, no-store' });
    },
  });

  // PUT and PATCH apply the same partial update: one route answers both.
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    config: { access: 'media.edit' },
    schema: { tags, params: IdParams, body: UpdateMediaBody, response: { 200: Media } },
    handler: async (req, reply) => sendRecord(reply, await svc.updateMedia(ctx, actorOf(req), idOf(req), req.body, ifMatchOf(req))),
  });

  app.delete('/:id', { config: { access: 'media.delete' }, schema: { tags, params: IdParams, response: { 200: Media } } }, async (req) =>
    svc.deleteMedia(ctx, idOf(req), ifMatchOf(req)),
  );
};
