import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { Timestamp } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { User } from '../users/users.schemas.js';
import { getUser } from '../users/users.service.js';
import { budgetStoreFor } from '../../db/failure-budget-store.js';
import { FailureLimiter, LoginLimiter } from '../../lib/failure-limiter.js';
import * as svc from './auth.service.js';

const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const LoginReply = Type.Object({ token: Type.String(), expiresAt: Timestamp, user: User });

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const limiter = new LoginLimiter(new FailureLimiter(budgetStoreFor(ctx.database), { windowMs: 15 * 60_000 }, () => ctx.now().getTime()));
  const tags = ['auth'];

  app.post('/login', { config: { access: 'public' }, schema: { tags, body: LoginBody, response: { 200: LoginReply } } }, async (req) =>
    svc.login(ctx, limiter, req.ip, req.body),
  );

  app.post('/logout', { config: { access: 'staff' }, schema: { tags, response: { 204: Type.Null() } } }, async (req, reply) => {
    await svc.logout(ctx, req.tokenHash!);
    return reply.code(204).send(null);
  });

  app.get('/me', { config: { access: 'staff' }, schema: { tags, response: { 200: User } } }, async (req) => getUser(ctx, actorOf(req).id));
};
