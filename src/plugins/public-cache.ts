// Serves anonymous reads of public lists and records from memory (PUBLIC_CACHE=on). An entry is
// keyed by what the router matched (route-keys.ts), so every spelling of a URL shares it, and is
// stored under the response's surrogate keys, so a change evicts exactly the entries it names:
// the purge a CDN does. Coherent across instances: every committed change reaches every instance
// through LISTEN, and a (re)connected listener empties the cache. Knows no resource: routes opt
// in with config.publicCache, responses name their keys, and the timetable is handed in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { type ChangeNotice, EVENTS_CHANNEL, requestNotices } from '../events/outbox.js';
import { coalescing } from '../lib/coalesce.js';
import { type CachedResponse, ResponseCache } from '../lib/response-cache.js';
import { type MatchingOptions, routeKeys } from '../lib/route-keys.js';
import { surrogateKeysOf } from '../lib/surrogate-keys.js';
import { replayableHeaders, writeReplayed } from './replayed-response.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    publicCache?: boolean;
  }
  interface FastifyRequest {
    /** Set on a cacheable miss: where its answer is stored, and the cache's generation when it began. */
    publicCacheMiss?: { key: string; generation: number };
  }
}

export interface PublicCacheOptions {
  /** The next moment after `now` at which something becomes or stops being public by time alone; null if none. */
  timetable: (now: Date) => Promise<Date | null>;
}

// A cached answer is the same for every request without Authorization (the only ones looked up)
// whatever these say: Origin's CORS headers are made per hit.
const VARY_COVERED = new Set(['authorization', 'origin', 'accept-encoding']);
const MAX_BYTES = 64 * 1024 * 1024;
// The levels at which Fastify logs every request; hits answered before Fastify log themselves then.
const LOGS_REQUESTS = new Set(['trace', 'debug', 'info']);
const SAFETY_TTL_MS = 10 * 60_000;

const isRead = (method: string | undefined) => method === 'GET' || method === 'HEAD';

function cacheable(request: FastifyRequest): boolean {
  return isRead(request.method) && request.routeOptions.config?.publicCache === true && request.headers.authorization === undefined;
}

/** A response that varies on a request header the key does not cover cannot be shared. */
function variesOnlyAsCovered(vary: unknown): boolean {
  if (vary === undefined) return true;
  return String(vary)
    .split(',')
    .every((h) => VARY_COVERED.has(h.trim().toLowerCase()));
}

/** Fastify's router options, as its router got them (fastify.initialConfig). */
function matchingOptionsOf(app: FastifyInstance): MatchingOptions {
  const initial = app.initialConfig as { caseSensitive?: boolean; routerOptions?: MatchingOptions };
  return { ...initial.routerOptions, caseSensitive: initial.routerOptions?.caseSensitive ?? initial.caseSensitive };
}

/**
 * Registers the lookup first of all onRequest hooks: a hit is written straight to the socket
 * with the headers of the first answer (security headers included), skipping the rest of the
 * request pipeline. Call `storeResponses` after the other onSend hooks are registered. Register
 * it before any route, so that the router's copy sees every route.
 */
export interface PublicCache {
  cache: ResponseCache;
  storeResponses: () => void;
  serveBeforeRouting: (req: IncomingMessage, res: ServerResponse, requestId: () => string) => boolean;
}

export async function registerPublicCache(app: FastifyInstance, ctx: AppContext, opts: PublicCacheOptions): Promise<PublicCache> {
  const cache = new ResponseCache({ maxBytes: MAX_BYTES, ttlMs: SAFETY_TTL_MS }, () => ctx.now().getTime());
  const keys = routeKeys(matchingOptionsOf(app));
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET')) return;
    // A route with constraints is not chosen by its path alone: never answered from here.
    keys.add(route.url, route.config?.publicCache === true && route.constraints === undefined);
  });

  // The timetable: when the next scheduled version appears or an old one expires; passing that
  // moment empties the cache (setValidUntil). A read asked for while one is out runs again after
  // it (coalesce.ts): a notice must not be answered by a read that began before it.
  const readTimetable = coalescing<void, undefined>(
    async () => {
      try {
        const next = await opts.timetable(ctx.now());
        cache.setValidUntil(next ? next.getTime() : Number.POSITIVE_INFINITY);
      } catch (err) {
        ctx.log.warn({ err }, 'public cache: could not read the publication timetable');
      }
    },
    () => undefined,
  );
  const refreshTimetable = () => readTimetable('', undefined);

  /** Evicts at once; a timetable change returns its re-read (which never rejects). */
  const apply = (n: ChangeNotice): Promise<void> | undefined => {
    if (n.all) cache.clear();
    else if (n.keys.length > 0) cache.evict(n.keys);
    return n.timetable ? refreshTimetable() : undefined;
  };
  // Events this instance raised are applied before it answers; their copy that comes back through
  // LISTEN a moment later says nothing new, and applying it again would only throw away answers
  // cached since (each event's outbox id is unique).
  const appliedHere = new Set<number>();
  const onNotice = (payload: string) => {
    let n: ChangeNotice;
    try {
      n = JSON.parse(payload) as ChangeNotice;
    } catch {
      return; // not ours
    }
    if (typeof n !== 'object' || n === null || !Array.isArray(n.keys)) return;
    if (n.id > 0 && appliedHere.delete(n.id)) return;
    void apply(n);
  };

  // (Re)connected: notices may have been missed, so start from nothing.
  const unlisten = await ctx.database.listen(EVENTS_CHANNEL, onNotice, () => {
    cache.clear();
    void refreshTimetable();
  });
  app.addHook('onClose', async () => unlisten());

  // Writes collect the notices they raise and apply them here once the handler has committed.
  app.addHook('onRequest', (request, _reply, done) => {
    if (isRead(request.method)) return done();
    requestNotices.run([], done);
  });
  // The answer waits for a timetable re-read too: until it is done the cache would go on serving
  // past the moment a version scheduled by this very write appears (a client reads its writes).
  app.addHook('onSend', async (_request, _reply, payload) => {
    const rereads: Array<Promise<void>> = [];
    for (const n of requestNotices.getStore() ?? []) {
      const reread = apply(n);
      if (reread) rereads.push(reread);
      // Bounded: a copy that never comes back (a lost connection) must not pile up.
      if (n.id > 0) {
        if (appliedHere.size >= 10_000) appliedHere.clear();
        appliedHere.add(n.id);
      }
    }
    await Promise.all(rereads);
    return payload;
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!cacheable(request)) return;
    // Only a request whose key the router's copy agrees on is looked up or stored.
    const key = keys.keyOfRouted(request.raw.url ?? '', request.routeOptions.url, request.params);
    if (key === undefined) return;
    if (!cache.isFresh()) await refreshTimetable();
    const hit = cache.get(key);
    if (!hit) {
      request.publicCacheMiss = { key, generation: cache.generation };
      return;
    }
    reply.hijack();
    writeHit(hit, request.raw, reply.raw, request.id);
  });

  const writeHit = (hit: CachedResponse, req: IncomingMessage, res: ServerResponse, requestId: string) => writeReplayed(req, res, hit, ctx.config, requestId);

  /**
   * Answers a request from the cache before Fastify sees it (no request object, logger or hooks):
   * the cheapest path for the most read URLs. The key is the one Fastify's routing would give
   * (route-keys.ts); only anonymous GET/HEAD, only while the timetable is fresh. Anything else
   * returns false and goes through Fastify (whose hook above also serves hits, e.g. for inject()).
   */
  const serveBeforeRouting = (req: IncomingMessage, res: ServerResponse, requestId: () => string): boolean => {
    if (!isRead(req.method) || req.headers.authorization !== undefined || req.url === undefined) return false;
    if (cache.size === 0 || !cache.isFresh()) return false;
    const key = keys.keyOf(req.url);
    const hit = key === undefined ? undefined : cache.get(key);
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
      const miss = request.publicCacheMiss;
      if (miss === undefined || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      if (!variesOnlyAsCovered(reply.getHeader('vary'))) return payload;
      const headers = replayableHeaders(reply);
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      cache.set(miss.key, { body, headers }, surrogateKeysOf(headers['surrogate-key']), miss.generation);
      return payload;
    });
  return { cache, storeResponses, serveBeforeRouting };
}
