// Caching rules of API.md §5: public answers may be cached by browsers and CDNs, staff answers
// never. The same URL answers both, so caches must key on Authorization.
import type { FastifyInstance } from 'fastify';

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
}
