// Security headers and CORS (API.md §1).
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export const EXPOSED_HEADERS = ['X-Total-Count', 'Content-Range', 'Link', 'ETag', 'Location', 'X-Request-Id', 'Retry-After'];

/** Whether CORS lets this origin read responses (the same rule @fastify/cors applies). */
export function corsAllows(config: Config, origin: string): boolean {
  return config.corsOrigins === true || config.corsOrigins.includes(origin);
}

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    // The API serves JSON; /docs sets its own policy for the reference page.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    hsts: { maxAge: 15552000, includeSubDomains: true },
  });
  await app.register(cors, {
    origin: config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Range', 'If-Match', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
