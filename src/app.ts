// buildApp(config): the one factory behind the server, the CLI scripts and the tests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ClientTimeouts, Config } from './config.js';
import type { AppContext } from './context.js';
import { type Database, openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { takeOverFromPreviousRun } from './db/previous-run.js';
import { makeBodySanitizer } from './lib/body-sanitizer.js';
import { articlesRoutes } from './modules/articles/articles.routes.js';
import { articleWorkflowRoutes } from './modules/articles/workflow.routes.js';
import { relatedRoutes } from './modules/articles/related.routes.js';
import { startPublishScheduler } from './modules/articles/publish-scheduler.js';
import { nextVisibilityChange } from './modules/articles/live.queries.js';
import { previewLinksRoutes, previewRoutes } from './modules/preview/preview.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { tokenResolver } from './modules/auth/auth.service.js';
import { categoriesRoutes } from './modules/categories/categories.routes.js';
import { collectionsRoutes } from './modules/collections/collections.routes.js';
import { createMediaFront } from './modules/media/media-files.front.js';
import { mediaFileRoutes } from './modules/media/media-files.routes.js';
import { mediaRoutes } from './modules/media/media.routes.js';
import { startTempSweeper } from './modules/media/temp-sweeper.js';
import { refreshStaleCrops } from './modules/media/media.service.js';
import { MEDIA_FILE_PREFIX, mediaUrls } from './modules/media/media.urls.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { feedsRoutes } from './modules/feeds/feeds.routes.js';
import { sitemapsRoutes } from './modules/sitemaps/sitemaps.routes.js';
import { ensureInitialAdmin } from './modules/users/users.service.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { deliveriesRoutes } from './modules/webhooks/deliveries.routes.js';
import { startWebhookDispatcher } from './modules/webhooks/dispatcher.js';
import { insertDeliveriesForEvent } from './modules/webhooks/deliveries.queries.js';
import { subscribeInTransaction } from './events/outbox.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { registerAuth } from './plugins/auth.js';
import { registerCacheHeaders } from './plugins/cache-headers.js';
import { CountCache, pipelinedStamp } from './db/count-cache.js';
import { type PublicCache, registerPublicCache } from './plugins/public-cache.js';
import { registerErrorHandling, sendProblem } from './plugins/errors.js';
import { registerEmptyTextParser, registerJsonBodyParser } from './plugins/json-body.js';
import { registerOpenApi } from './plugins/openapi.js';
import { apiDescription } from './api-description.js';
import { registerSecurity } from './plugins/security.js';
import { registerSparseFields } from './plugins/sparse-fields.js';
import { answerClientError, hasBody, httpServerOptions, registerSlowClientLimits } from './plugins/slow-clients.js';
import { registerValidation } from './plugins/validation.js';
import { loggerOptions } from './logger.js';
import { createStorage } from './storage/index.js';

export interface BuildOptions {
  /** An already open database (tests); otherwise one is opened from config and closed with the app. */
  database?: Database;
  /** pino options, or false for no logging. Defaults to the config's level. */
  logger?: FastifyServerOptions['logger'];
  /** Where the default logger writes (tests read the log lines). */
  logStream?: NodeJS.WritableStream;
  now?: () => Date;
  /** Apply pending migrations while building (default true). */
  migrate?: boolean;
  /** Run background jobs: scheduled publication, webhook delivery (default true; CLI scripts turn them off). */
  jobs?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A well-formed X-Request-Id is kept; a missing or malformed one is replaced, not trusted. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The HTTP/1 server, with one step in front: a public-cache hit, or a media file held in memory,
 * is answered before Fastify builds its request (set once the caches exist). Fastify ignores its
 * own timeout options when given a server factory (documented), so every timeout is set here
 * from the config, with Node's public options, and nothing is read from Fastify's.
 */
function serverInFrontOfFastify(front: { serve?: PublicCache['serveBeforeRouting'] }, timeouts: ClientTimeouts): FastifyServerOptions['serverFactory'] {
  return (handler) => {
    const server = createServer(httpServerOptions(timeouts), (req, res) => {
      // A request with a body (a GET may have one) goes through Fastify, where its limits apply.
      if (hasBody(req)) return handler(req, res);
      if (front.serve?.(req, res, () => requestIdOf(req))) return;
      handler(req, res);
    });
    return server;
  };
}

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const front: { serve?: PublicCache['serveBeforeRouting'] } = {};
  const app = Fastify({
    serverFactory: serverInFrontOfFastify(front, config.clientTimeouts),
    clientErrorHandler: answerClientError,
    logger: opts.logger ?? loggerOptions(config.logLevel, opts.logStream),
    // A hop count is valid at run time (proxy-addr) though Fastify's types omit it.
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: config.bodyLimitBytes,
    // genReqId reads X-Request-Id itself, so a malformed one is replaced rather than trusted.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A path parameter of any length reaches its route, whose schema or lookup answers 404 for it
    // (API.md §3); Node's 16 KiB limit on the request head bounds it first.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16_384 },
    forceCloseConnections: 'idle',
    frameworkErrors: (err, _req, reply) => sendProblem(reply, { status: 400, code: 'bad_request', detail: err.message }),
  });

  const ownsDatabase = !opts.database;
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, statementTimeoutMs: config.statementTimeoutMs }));
  app.addHook('onClose', async () => {
    if (ownsDatabase) await database.close();
  });
  try {
    if (opts.migrate !== false) await runMigrations(database, config.databaseUrl);
  } catch (err) {
    if (ownsDatabase) await database.close();
    throw err;
  }

  const storage = createStorage(config);
  app.addHook('onClose', async () => storage.close());
  const ctx: AppContext = {
    db: database.db, database, config, log: app.log, now: opts.now ?? (() => new Date()), storage, mediaUrls: mediaUrls(config.publicUrl),
    counts: new CountCache(pipelinedStamp(database)),
  };
  app.decorate('ctx', ctx);
  // Every event gets its webhook deliveries in its own transaction, jobs or not (CLI scripts emit too).
  subscribeInTransaction(insertDeliveriesForEvent);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerValidation(app);
  registerJsonBodyParser(app);
  registerEmptyTextParser(app);
  registerErrorHandling(app);
  // Its onRequest hook comes first, so that body limits run while the others wait; it only arms
  // timers for requests that carry a body, which a cache hit never does.
  registerSlowClientLimits(app, config.clientTimeouts);
  // First of the other onRequest hooks: a cache hit skips everything after it. Before any route:
  // the cache keeps a copy of the router. The articles module knows when what is public changes by time.
  const publicCache = config.publicCache ? await registerPublicCache(app, ctx, { timetable: (now) => nextVisibilityChange(ctx.db, now) }) : undefined;
  const mediaFront = config.publicCache ? createMediaFront(ctx) : undefined;
  front.serve = (req, res, requestId) => Boolean(publicCache?.serveBeforeRouting(req, res, requestId) || mediaFront?.serve(req, res, requestId));
  await registerSecurity(app, config);
  // Before OpenAPI (it documents the parameter this adds) and the ETag hook (which hashes the cut answer).
  registerSparseFields(app);
  await registerOpenApi(app, config, apiDescription());
  registerAuth(app, tokenResolver(ctx));
  registerCacheHeaders(app);
  publicCache?.storeResponses();

  const bodySanitizer = makeBodySanitizer(config.iframeHosts);
  app.addHook('onClose', async () => bodySanitizer.close());
  const deps = { sanitizeBody: bodySanitizer.sanitize };
  await app.register(healthRoutes, { ctx });
  await app.register(authRoutes, { ctx, prefix: '/api/v1/auth' });
  await app.register(usersRoutes, { ctx, prefix: '/api/v1/users' });
  await app.register(categoriesRoutes, { ctx, prefix: '/api/v1/categories' });
  await app.register(collectionsRoutes, { ctx, prefix: '/api/v1/collections' });
  await app.register(articlesRoutes, { ctx, deps, prefix: '/api/v1/articles' });
  await app.register(articleWorkflowRoutes, { ctx, prefix: '/api/v1/articles' });
  await app.register(relatedRoutes, { ctx, prefix: '/api/v1/articles' });
  await app.register(previewLinksRoutes, { ctx, prefix: '/api/v1/articles' });
  await app.register(previewRoutes, { ctx, prefix: '/api/v1/preview' });
  await app.register(webhooksRoutes, { ctx, prefix: '/api/v1/webhooks' });
  await app.register(deliveriesRoutes, { ctx, prefix: '/api/v1/webhooks' });
  await app.register(mediaRoutes, { ctx, prefix: '/api/v1/media' });
  await app.register(feedsRoutes, { ctx, prefix: '/api/v1/feeds' });
  await app.register(sitemapsRoutes, { ctx, prefix: '/api/v1/sitemaps' });
  await app.register(mediaFileRoutes, { ctx, front: mediaFront, prefix: MEDIA_FILE_PREFIX });

  await ensureInitialAdmin(ctx);
  const refreshed = await refreshStaleCrops(ctx);
  if (refreshed > 0) app.log.info({ refreshed }, 'recomputed media crops for the current IMAGE_WIDTHS and IMAGE_ASPECTS');
  if (opts.jobs !== false) {
    app.addHook('onReady', async () => {
      const reclaim = takeOverFromPreviousRun(database);
      const jobs: Array<{ stop(): void | Promise<void> }> = [startTempSweeper(ctx, reclaim)];
      if (config.schedulerIntervalMs > 0) jobs.push(startPublishScheduler(ctx, config.schedulerIntervalMs));
      if (config.webhookPollMs > 0) jobs.push(await startWebhookDispatcher(ctx, reclaim));
      // preClose: the database is still open, so attempts in flight can record their result.
      app.addHook('preClose', async () => {
        await Promise.all(jobs.map((job) => job.stop()));
      });
    });
  }
  return app;
}
