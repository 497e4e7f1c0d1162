// Caching rules of API.md §5: public answers may be cached by browsers and CDNs, staff answers
// never. The same URL answers both, so caches must key on Authorization.
import type { FastifyInstance } from 'fastify';
import { isNotModified } from '../lib/conditional-get.js';
import { etagOf, recordVersionOf } from '../lib/record.js';

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

export function registerCacheHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (reply.hasHeader('cache-control')) return;
    const access = request.routeOptions.config?.access;
    const readable = request.method === 'GET' || request.method === 'HEAD';
    const ok = reply.statusCode === 200 || reply.statusCode === 304;
    if (access === 'public' && readable) reply.header('vary', 'Authorization, Origin, Accept-Encoding');
    reply.header('cache-control', access === 'public' && readable && ok && !request.actor ? PUBLIC_CACHE_CONTROL : 'private, no-store');
  });

  // Every successful read, and every record a write answers with, gets an ETag (a record's carries
  // its version); on a read a matching If-None-Match (or, without one, an If-Modified-Since not
  // older than a Last-Modified the route set) turns the answer into a 304 without a body.
  app.addHook('onSend', async (request, reply, payload) => {
    const read = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200;
    const version = recordVersionOf(reply);
    if (!read && (version === undefined || reply.statusCode >= 300)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    // Encoded once here, the bytes serve the hash, the Content-Length and the socket; a string
    // would be encoded three times over (a list page is ~100 KB of Vietnamese text).
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    let etag = reply.getHeader('etag') as string | undefined;
    if (!etag) {
      etag = etagOf(bytes, version);
      reply.header('etag', etag);
    }
    if (read && isNotModified(request.headers, etag, reply.getHeader('last-modified'))) {
      reply.code(304);
      return '';
    }
    return bytes;
  });
}
