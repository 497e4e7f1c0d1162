// The most read media URLs (the crops in article lists, renditions) answered before Fastify
// builds a request, as the public cache answers articles: a cached image costs about what a
// cached article costs.
//
// Only immutable answers are replayed (the bytes behind such a URL never change), keyed by the
// exact URL and what fm=auto reads from the Accept header, and only while storage still holds
// the bytes in memory: deleting a file forgets them at once in this process (storage/read-cache.ts),
// so a deleted image is not served from here. Ranges and anything else go through Fastify.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../../context.js';
import { replayableHeaders, writeReplayed } from '../../plugins/replayed-response.js';
import { acceptVariant } from './media.formats.js';
import { MEDIA_FILE_PREFIX } from './media.urls.js';

interface Replay {
  /** Where the bytes live (storage peeks them from memory). */
  key: string;
  headers: Record<string, string>;
}

const MAX_ENTRIES = 20_000;
const LOGS_REQUESTS = new Set(['trace', 'debug', 'info']);
const PATH_PREFIX = `${MEDIA_FILE_PREFIX}/`;

// Not the Accept header itself (any string a client likes), only what fm=auto reads from it.
const replayKey = (url: string, accept: string | undefined) => `${url}\n${acceptVariant(accept)}`;

export function createMediaFront(ctx: AppContext) {
  const replays = new LRUCache<string, Replay>({ max: MAX_ENTRIES });

  /** After a full 200 of a stored file that may be cached for good (called from onSend). */
  function record(request: FastifyRequest, reply: FastifyReply, key: string): void {
    if (request.method !== 'GET' || reply.statusCode !== 200 || request.headers.range !== undefined) return;
    if (!String(reply.getHeader('cache-control') ?? '').includes('immutable')) return;
    replays.set(replayKey(request.url, request.headers.accept), { key, headers: replayableHeaders(reply) });
  }

  /** Answers from memory and returns true, or returns false and leaves the request to Fastify. */
  function serve(req: IncomingMessage, res: ServerResponse, requestId: () => string): boolean {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.url === undefined || !req.url.startsWith(PATH_PREFIX)) return false;
    if (req.headers.range !== undefined) return false;
    const rk = replayKey(req.url, req.headers.accept);
    const replay = replays.get(rk);
    if (!replay) return false;
    const body = ctx.storage.peek?.(replay.key);
    if (!body) {
      replays.delete(rk);
      return false;
    }
    const started = performance.now();
    const reqId = requestId();
    const statusCode = writeReplayed(req, res, { headers: replay.headers, body }, ctx.config, reqId);
    if (LOGS_REQUESTS.has(ctx.log.level)) {
      ctx.log.info({ reqId, req: { method: req.method, url: req.url }, res: { statusCode }, responseTime: performance.now() - started, cache: 'hit' }, 'request completed');
    }
    return true;
  }

  return { record, serve };
}

export type MediaFront = ReturnType<typeof createMediaFront>;
