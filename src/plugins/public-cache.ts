// Serves anonymous reads of public lists and records from memory (PUBLIC_CACHE=on). Coherent
// across instances: every committed domain event reaches every instance through LISTEN, and a
// lost listening connection empties the cache. Routes opt in with config.publicCache.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { EVENTS_CHANNEL, type EventNotice, requestNotices } from '../events/outbox.js';
import { etagMatches } from '../lib/record.js';
import { ARTICLE_DETAIL, type CachedResponse, ResponseCache } from '../lib/response-cache.js';
import { corsAllows, EXPOSED_HEADERS } from './security.js';
import { nextVisibilityChange } from '../modules/articles/live.queries.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    publicCache?: boolean;
  }
  interface FastifyRequest {
    cacheGeneration?: number;
  }
}

// Per-request headers, made afresh on every hit; everything else of the first answer is replayed.
const PER_REQUEST = new Set(['x-request-id', 'access-control-allow-origin', 'access-control-expose-headers', 'access-control-allow-credentials', 'content-length', 'x-cache', 'date', 'connection', 'keep-alive']);
const MAX_BYTES = 64 * 1024 * 1024;
// The levels at which Fastify logs every request; hits answered before Fastify log themselves then.
const LOGS_REQUESTS = new Set(['trace', 'debug', 'info']);
const SAFETY_TTL_MS = 10 * 60_000;

function cacheable(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.routeOptions.config?.publicCache === true &&
    request.headers.authorization === undefined
  );
}

/**
 * Registers the lookup first of all onRequest hooks: a hit is written straight to the socket
 * with the headers of the first answer (security headers included), skipping the rest of the
 * request pipeline. Call `storeResponses` after the other onSend hooks are registered.
 */
export interface PublicCache {
  cache: ResponseCache;
  storeResponses: () => void;
  serveBeforeRouting: (req: IncomingMessage, res: ServerResponse, requestId: () => string) => boolean;
}

export async function registerPublicCache(app: FastifyInstance, ctx: AppContext): Promise<PublicCache> {
  const cache = new ResponseCache({ maxBytes: MAX_BYTES, ttlMs: SAFETY_TTL_MS }, () => ctx.now().getTime());

  // The timetable: when the next scheduled version appears or an old one expires. Passing that
  // moment empties the cache; a notice only re-reads it.
  let refreshing: Promise<void> | undefined;
  const readTimetable = (clear: boolean) => {
    if (clear) cache.invalidateAll();
    refreshing ??= (async () => {
      try {
        const next = await nextVisibilityChange(ctx.db, ctx.now());
        cache.setValidUntil(next ? next.getTime() : Number.POSITIVE_INFINITY);
      } catch (err) {
        ctx.log.warn({ err }, 'public cache: could not read the publication timetable');
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  const apply = (n: EventNotice) => {
    if (n.entityType === 'article' && n.type !== 'article.scheduled') cache.invalidateArticle(n.entityId);
    else if (n.entityType === 'media') cache.invalidateArticles();
    else if (n.entityType === 'category') cache.invalidateAll();
    if (n.entityType === 'article') void readTimetable(false);
  };
  // Events this instance raised are applied before it answers; their copy that comes back through
  // LISTEN a moment later says nothing new, and applying it again would only throw away answers
  // cached since (each event's outbox id is unique).
  const appliedHere = new Set<number>();
  const onNotice = (payload: string) => {
    let n: EventNotice;
    try {
      n = JSON.parse(payload) as EventNotice;
    } catch {
      return; // not ours
    }
    if (n.id > 0 && appliedHere.delete(n.id)) return;
    apply(n);
  };

  // (Re)connected: notices may have been missed, so start from nothing.
  const unlisten = await ctx.database.listen(EVENTS_CHANNEL, onNotice, () => {
    cache.setValidUntil(0);
    void readTimetable(true);
  });
  app.addHook('onClose', async () => unlisten());

  // Writes collect the notices they raise and apply them here once the handler has committed.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    requestNotices.run([], done);
  });
  app.addHook('onSend', async (_request, _reply, payload) => {
    for (const n of requestNotices.getStore() ?? []) {
      apply(n);
      // Bounded: a copy that never comes back (a lost connection) must not pile up.
      if (n.id > 0) {
        if (appliedHere.size >= 10_000) appliedHere.clear();
        appliedHere.add(n.id);
      }
    }
    return payload;
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    if (!cache.isFresh()) await readTimetable(true);
    const hit = cache.get(request.url);
    if (!hit) {
      request.cacheGeneration = cache.generation;
      return;
    }
    reply.hijack();
    writeHit(hit, request.raw, reply.raw, request.id);
  });

  const writeHit = (hit: CachedResponse, req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const headers: Record<string, string> = { ...hit.headers, 'x-request-id': requestId, 'x-cache': 'hit' };
    const origin = req.headers.origin;
    if (origin && corsAllows(ctx.config, origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-expose-headers'] = EXPOSED_HEADERS.join(', ');
    }
    if (etagMatches(req.headers['if-none-match'], hit.headers.etag ?? '')) {
      delete headers['content-type'];
      res.writeHead(304, headers).end();
      return 304;
    }
    headers['content-length'] = String(hit.body.length);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : hit.body);
    return 200;
  };

  /**
   * Answers a request from the cache before Fastify sees it (no request object, logger or hooks):
   * the cheapest path for the most read URLs. Only exact URLs that a cacheable route stored, only
   * anonymous GET/HEAD, only while the timetable is fresh; anything else returns false and goes
   * through Fastify (whose hook above also serves hits, e.g. for inject()).
   */
  const serveBeforeRouting = (req: IncomingMessage, res: ServerResponse, requestId: () => string): boolean => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.authorization !== undefined || req.url === undefined) return false;
    const hit = cache.get(req.url);
    if (!hit) return false;
    const started = performance.now();
    const reqId = requestId();
    const statusCode = writeHit(hit, req, res, reqId);
    if (LOGS_REQUESTS.has(ctx.log.level)) {
      ctx.log.info({ reqId, req: { method: req.method, url: req.url }, res: { statusCode }, responseTime: performance.now() - started, cache: 'hit' }, 'request completed');
    }
    return true;
  };

  const storeResponses = () =>
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.cacheGeneration === undefined || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !PER_REQUEST.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      const articleId = ARTICLE_DETAIL.test(request.url) ? (JSON.parse(String(payload)) as { id?: number }).id : undefined;
      cache.set(request.url, { body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), headers }, request.cacheGeneration, articleId);
      return payload;
    });
  return { cache, storeResponses, serveBeforeRouting };
}
