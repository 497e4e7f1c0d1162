// Security headers and CORS (API.md §1).
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export const EXPOSED_HEADERS = ['X-Total-Count', 'Content-Range', 'Link', 'ETag', 'Location', 'X-Request-Id', 'Retry-After'];
const EXPOSED = EXPOSED_HEADERS.join(', ');

/**
 * The one CORS rule: whether a page of this origin may read our answers. @fastify/cors asks it
 * (its `origin` function), and so do the answers written without Fastify (cache hits, media
 * replays), so the two cannot drift apart. A request without Origin is no CORS request.
 */
export function corsAllows(config: Config, origin: string | undefined): origin is string {
  return origin !== undefined && (config.corsOrigins === true || config.corsOrigins.includes(origin));
}

/**
 * The CORS headers of an answer written without Fastify, the ones @fastify/cors gives the same
 * request (the allowed origin echoed, the exposed headers; no credentials: tokens travel in
 * Authorization, never in cookies).
 */
export function corsHeaders(config: Config, origin: string | undefined): Record<string, string> {
  return corsAllows(config, origin) ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED } : {};
}

/**
 * The header set of a JSON API, on every answer (a cache hit replays it with the rest of the
 * first answer). A browser never renders these bodies, so the page-level headers (COOP, CORP,
 * X-Frame-Options, Referrer-Policy, Origin-Agent-Cluster, ...) would only cost bytes: what is left
 * stops a body being sniffed into something runnable (nosniff), runs nothing and frames nothing
 * if one is opened anyway (CSP), and keeps clients on HTTPS (HSTS). Set before any handler, so a
 * route that needs a stricter policy (a PDF's sandbox, media.files.ts) or its own (the /docs page,
 * openapi.ts) replaces it.
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
};

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(API_HEADERS);
    done();
  });
  await app.register(cors, {
    // A function, so that an origin that is not allowed gets no CORS header at all (an array
    // would still expose headers to it), as the answers replayed without Fastify do.
    origin: (origin, answer) => answer(null, corsAllows(config, origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Range', 'If-Match', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
