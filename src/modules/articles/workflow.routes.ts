// Transitions, history and revisions of one article.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { listPage } from '../../lib/list-sql.js';
import { sendList } from '../../lib/list-reply.js';
import { sendRecord } from '../../lib/record.js';
import { idOf, ifMatchOf, queryOf } from '../../lib/route-helpers.js';
import { IdParams, ListQuerystring } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { assertArticleExists } from './article-exists.js';
import { Article } from './articles.schemas.js';
import { getStaffArticle } from './articles.service.js';
import { historyListSpec, historyOf, listHistory } from './history.queries.js';
import * as revisions from './revisions.service.js';
import { HistoryEntry, Revision, RevisionParams, TransitionBody } from './workflow.schemas.js';
import { transitionArticle } from './workflow.service.js';

export const articleWorkflowRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['workflow'];
  const read = { access: 'article.read-working' as const };
  const revisionIds = (p: { id: number; revisionId: number }) => [p.id, p.revisionId] as const;

  app.post('/:id/transitions', { config: { access: 'staff' }, schema: { tags, params: IdParams, body: TransitionBody, response: { 200: Article } } }, async (req, reply) => {
    const { action, comment, publishAt } = req.body;
    await transitionArticle(ctx, actorOf(req), idOf(req), { action, comment, publishAt: publishAt ? new Date(publishAt) : null });
    return sendRecord(reply, await getStaffArticle(ctx.db, String(idOf(req)), ctx.now(), ctx.mediaUrls));
  });

  app.get('/:id/history', { config: read, schema: { tags, params: IdParams, querystring: ListQuerystring, response: { 200: Type.Array(HistoryEntry) } } }, async (req, reply) => {
    const id = idOf(req);
    await assertArticleExists(ctx.db, id);
    return sendList(req, reply, 'history', await listPage(queryOf(req), historyListSpec, (plan) => listHistory(ctx.db, plan), historyOf(id)));
  });

  app.get('/:id/revisions', { config: read, schema: { tags, params: IdParams, querystring: ListQuerystring, response: { 200: Type.Array(Revision) } } }, async (req, reply) =>
    sendList(req, reply, 'revisions', await revisions.listRevisions(ctx, idOf(req), queryOf(req))),
  );

  app.get('/:id/revisions/:revisionId', { config: read, schema: { tags, params: RevisionParams, response: { 200: Revision } } }, async (req, reply) =>
    sendRecord(reply, await revisions.getRevision(ctx, ...revisionIds(req.params))),
  );

  app.post(
    '/:id/revisions/:revisionId/restore',
    // No body: the precondition, if any, comes in If-Match.
    { config: { access: 'article.edit' }, schema: { tags, params: RevisionParams, response: { 200: Article } } },
    async (req, reply) => {
      const [id, revisionId] = revisionIds(req.params);
      return sendRecord(reply, await revisions.restoreRevision(ctx, actorOf(req), id, revisionId, ifMatchOf(req)));
    },
  );
};
