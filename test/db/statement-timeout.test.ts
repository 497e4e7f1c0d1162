// API.md §1: every database statement has a time limit (STATEMENT_TIMEOUT_MS); past it the
// request gets 503 query_timeout. The request is the attack of issue 15: a 1–2 character `_like`
// filter that no trigram serves, so it reads every article.
// - PGlite: with a limit of 1 ms the scan cannot finish in time; the watchdog stops the database's
//   worker, and the data folder must come back intact.
// - PostgreSQL: statement_timeout does the work. A limit of 1 ms would also catch the service's
//   own start-up statements on a loaded machine, so the scan is kept waiting by a lock another
//   session holds instead, against a limit of 200 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import postgres from 'postgres';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { articleLive } from '../../src/db/schema/index.js';
import { ensureBenchCategories, insertPublishedArticles } from '../../src/seed/bulk-articles.js';
import { createTestDatabase } from '../helpers/database.js';

// Seeding a folder and opening it three times is slow on a loaded machine.
t.setTimeout(300_000);

const ARTICLES = 1500;

const seed = async (database: Database) => {
  const leaves = await ensureBenchCategories(database.db);
  await insertPublishedArticles(database.db, { from: 1, count: ARTICLES, categoryIds: leaves, authorId: null, newest: new Date() });
};
const articleCount = async (database: Database) => (await database.db.select({ n: count() }).from(articleLive))[0].n;

interface Setup {
  limitMs: number;
  env: Record<string, string>;
  open: (limitMs: number) => Promise<Database>;
  /** Makes the scan slow where the scan alone is not; returns the release. */
  slowDown: () => Promise<() => Promise<void>>;
}

async function prepare(t: Test): Promise<Setup> {
  if (process.env.DATABASE_URL) {
    const tdb = await createTestDatabase({ statementTimeoutMs: 0 });
    t.teardown(() => tdb.drop());
    await seed(tdb.database);
    const databaseUrl = tdb.databaseUrl!;
    return {
      limitMs: 200,
      env: { DATABASE_URL: databaseUrl },
      open: (limitMs) => openDatabase({ databaseUrl, dataDir: 'unused', statementTimeoutMs: limitMs }),
      slowDown: async () => {
        const other = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        const locked = await other.reserve();
        await locked`BEGIN`;
        await locked`LOCK TABLE article_live IN ACCESS EXCLUSIVE MODE`;
        return async () => {
          await locked`ROLLBACK`;
          locked.release();
          await other.end();
        };
      },
    };
  }
  // A folder, not memory: the database outlives the worker that is stopped.
  const dir = mkdtempSync(join(tmpdir(), 'toasoan-timeout-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const setup = await openDatabase({ dataDir: dir, statementTimeoutMs: 0 });
  await runMigrations(setup);
  await seed(setup);
  await setup.close();
  return {
    limitMs: 1,
    env: { DATA_DIR: dir },
    open: (limitMs) => openDatabase({ dataDir: dir, statementTimeoutMs: limitMs }),
    slowDown: async () => async () => {},
  };
}

/**
 * Builds the app on a database with the limit. On PGlite the limit is 1 ms, which the app's own
 * start-up statements (the first admin, stale crops) can also pass when the machine is loaded:
 * that start is not what this test is about, so it is tried again (each failure restarts the
 * worker, which the folder survives).
 */
async function startUnderLimit(setup: Setup) {
  for (let attempt = 1; ; attempt++) {
    const database = await setup.open(setup.limitMs);
    try {
      const app = await buildApp(parseConfig({ ...setup.env, LOG_LEVEL: 'silent', PUBLIC_CACHE: 'off', STATEMENT_TIMEOUT_MS: String(setup.limitMs) }), {
        database, logger: false, migrate: false, jobs: false,
      });
      return { database, app };
    } catch (err) {
      await database.close();
      const timedOut = (err as { cause?: { code?: string }; code?: string }).cause?.code === '57014' || (err as { code?: string }).code === '57014';
      if (!timedOut || attempt >= 10) throw err;
    }
  }
}

t.test('a statement past STATEMENT_TIMEOUT_MS gives 503 query_timeout, and the data stays', async (t) => {
  const setup = await prepare(t);
  const { database, app } = await startUnderLimit(setup);
  try {
    const release = await setup.slowDown();
    const res = await app.inject({ method: 'GET', url: '/api/v1/articles?title_like=zz' });
    await release();
    t.equal(res.statusCode, 503, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.json().code, 'query_timeout');
    t.ok(Number(res.headers['retry-after']) > 0, 'Retry-After');
  } finally {
    await app.close();
    await database.close();
  }
  // Reopened without the limit: every article is still there (PGlite: the folder recovered).
  const again = await setup.open(0);
  t.teardown(() => again.close());
  t.equal(await articleCount(again), ARTICLES);
});
