// Resolves the bearer token to an actor and enforces each route's declared access. A route
// under /api/v1 that declares no access fails at start-up: new endpoints are closed by default.
// How a token is looked up is the auth module's business: app.ts hands the plugin a resolver.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Actor, hasPermission, type Permission } from '../policy/permissions.js';
import { forbidden, unauthorized } from '../lib/problem.js';

export type Access = 'public' | 'staff' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
    tokenHash: string | null;
  }
}

function bearer(request: FastifyRequest): string | null | undefined {
  const h = request.headers.authorization;
  if (h === undefined || h === '') return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/** Who a valid bearer token speaks for, and the hash its session is stored under (logout deletes it). */
export interface Principal {
  actor: Actor;
  tokenHash: string;
}

/** null: the token is unknown, expired, revoked, or its user is disabled. */
export type TokenResolver = (token: string) => Promise<Principal | null>;

export function registerAuth(app: FastifyInstance, resolveToken: TokenResolver): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('tokenHash', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1') && !route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
    }
  });

  // onRequest, before the body is parsed or validated: a request without the right token is a
  // 401/403 whatever its body looks like.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access) return;
    const token = bearer(request);
    if (token === undefined) throw unauthorized('The Authorization header must be "Bearer <token>".');
    if (token !== null) {
      const principal = await resolveToken(token);
      // A bad token is refused even on public routes, so a client learns that it expired.
      if (!principal) throw unauthorized('The token is invalid, expired or revoked.');
      request.actor = principal.actor;
      request.tokenHash = principal.tokenHash;
    }
    if (access === 'public') return;
    if (!request.actor) throw unauthorized();
    if (access !== 'staff' && !hasPermission(request.actor, access)) throw forbidden();
  });
}

/** The actor of a route whose access is not public (the preHandler guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}
