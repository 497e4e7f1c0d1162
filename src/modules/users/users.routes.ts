import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf, sendCreated } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { CreateUserBody, UpdateUserBody, User } from './users.schemas.js';
import * as svc from './users.service.js';

export const usersRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const config = { access: 'user.manage' as const };
  const tags = ['users'];

  app.get('/', { config, schema: { tags, querystring: ListQuerystring, response: { 200: Type.Array(User) } } }, async (req, reply) =>
    sendList(req, reply, 'users', await svc.listUsers(ctx, queryOf(req))),
  );

  app.get('/:id', { config, schema: { tags, params: IdParams, response: { 200: User } } }, async (req, reply) =>
    sendRecord(reply, await svc.getUser(ctx, idOf(req))),
  );

  app.post('/', { config, schema: { tags, body: CreateUserBody, response: { 201: User } } }, async (req, reply) => {
    const user = await svc.createUser(ctx, req.body);
    return sendCreated(reply, `/api/v1/users/${user.id}`, user);
  });

  // PUT and PATCH apply the same partial update: one route answers both.
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    config,
    schema: { tags, params: IdParams, body: UpdateUserBody, response: { 200: User } },
    handler: async (req, reply) => sendRecord(reply, await svc.updateUser(ctx, actorOf(req), idOf(req), req.body, ifMatchOf(req))),
  });

  app.delete('/:id', { config, schema: { tags, params: IdParams, response: { 200: User } } }, async (req) =>
    svc.deleteUser(ctx, actorOf(req), idOf(req), ifMatchOf(req)),
  );
};
