// Security headers and CORS (API.md §1).
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export const EXPOSED_HEADERS = ['X-Total-Count', 'Content-Range', 'Link', 'ETag', 'Location', 'X-Request-Id', 'Retry-After'];

/** Whether CORS lets this origin read responses (the same rule @fastify/cors applies). */
export function corsAllows(config: Config, origin: string): boolean {
  return config.corsOrigins === true || config.corsOrigins.includes(origin);
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
    origin: config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Range', 'If-Match', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
