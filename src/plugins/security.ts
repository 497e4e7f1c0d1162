// Security headers and CORS (API.md §1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.js';

export const EXPOSED_HEADERS = ['X-Total-Count', 'Content-Range', 'Link', 'ETag', 'Location', 'X-Request-Id', 'Retry-After'];

/** Whether CORS lets this origin read responses (the same rule @fastify/cors applies). */
export function corsAllows(config: Config, origin: string): boolean {
  return config.corsOrigins === true || config.corsOrigins.includes(origin);
}

const HELMET: HelmetOptions = {
  // The API serves JSON; /docs sets its own policy for the reference page.
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  hsts: { maxAge: 15552000, includeSubDomains: true },
};

/**
 * The headers helmet sets for a configuration without nonces, which are the same for every
 * response: computed once here, where @fastify/helmet would rebuild helmet on every request.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const headers = helmetHeaders(HELMET);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
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
