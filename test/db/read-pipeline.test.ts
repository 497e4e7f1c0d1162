// The connection of pipelined public reads (src/db/client.ts): an article and a bounded list page
// are answered on it even while every connection of the pool is taken; a search or a deep offset
// page, whose cost grows with the data, waits for the pool. It reconnects by itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import t from 'tap';
import postgres from 'postgres';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { ensureBenchCategories, insertPublishedArticles } from '../../src/seed/bulk-articles.js';
import { createTestDatabase } from '../helpers/database.js';

const pg = !!process.env.DATABASE_URL;
t.test('bounded public reads do not queue behind the pool', { skip: !pg && 'PGlite has one connection and no pool' }, async (t) => {
  const tdb = await createTestDatabase();
  t.teardown(() => tdb.drop());
  const database = await openDatabase({ databaseUrl: tdb.databaseUrl, dataDir: 'unused', poolSize: 1 });
  const app = await buildApp(parseConfig({ DATABASE_URL: tdb.databaseUrl, LOG_LEVEL: 'silent', PUBLIC_CACHE: 'off' }), { database, logger: false, migrate: false, jobs: false });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  const leaves = await ensureBenchCategories(database.db);
  await insertPublishedArticles(database.db, { from: 1, count: 60, categoryIds: leaves, authorId: null, newest: new Date() });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const first = (await get('/api/v1/articles?_start=0&_end=1')).json()[0];
  const cursor = (await get('/api/v1/articles?_limit=20')).headers.link as string;
  const urls = {
    article: `/api/v1/articles/${first.slug}`,
    byId: `/api/v1/articles/${first.id}`,
    page: '/api/v1/articles?_start=0&_end=20',
    next: '/api/v1/articles?_start=20&_end=40',
    cursor: /<[^>]*(\/api\/v1\/articles\?[^>]*)>; rel="next"/.exec(cursor)![1],
    category: `/api/v1/articles?category=nong-nghiep&_start=0&_end=10`,
    range: `/api/v1/articles?publishedAt_lte=${encodeURIComponent(new Date().toISOString())}&_sort=publishedAt&_order=DESC`,
  };
  // The counts are read (on the pool) before it is taken; then they come from the count cache.
  for (const url of Object.values(urls)) t.equal((await get(url)).statusCode, 200);
  const expected = Object.fromEntries(await Promise.all(Object.entries(urls).map(async ([k, url]) => [k, (await get(url)).body])));

  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT 1`);
    await gate;
  });
  try {
    await sleep(50);
    const timeout = sleep(3000).then(() => 'timed out');
    for (const [name, url] of Object.entries(urls)) {
      const res = await Promise.race([get(url), timeout]);
      t.not(res, 'timed out', `${name} answers while the pool is taken`);
      if (typeof res !== 'string') {
        t.equal(res.statusCode, 200);
        t.equal(res.body, expected[name], `${name}: the same answer`);
      }
    }
    const waiting = {
      search: get('/api/v1/articles?q=tan'),
      deep: get('/api/v1/articles?_start=1000&_end=1020'),
      like: get('/api/v1/articles?title_like=tan'),
      sorted: get('/api/v1/articles?_sort=title&_order=ASC'),
      ne: get('/api/v1/articles?id_ne=1'),
    };
    let settled = 0;
    for (const p of Object.values(waiting)) void p.then(() => settled++);
    await sleep(300);
    t.equal(settled, 0, 'a search, a deep offset page, _like, _ne and another order wait for the pool');
    release();
    await held;
    for (const [name, p] of Object.entries(waiting)) t.equal((await p).statusCode, 200, `${name}: answered once the pool is free`);
  } finally {
    release();
    await held;
  }
});

t.test('the pipelined connection comes back after the server drops it', { skip: !pg && 'needs a PostgreSQL server' }, async (t) => {
  const tdb = await createTestDatabase();
  t.teardown(() => tdb.drop());
  const app = await buildApp(parseConfig({ DATABASE_URL: tdb.databaseUrl, LOG_LEVEL: 'silent', PUBLIC_CACHE: 'off' }), { database: tdb.database, logger: false, migrate: false, jobs: false });
  t.teardown(() => app.close());
  const leaves = await ensureBenchCategories(tdb.database.db);
  await insertPublishedArticles(tdb.database.db, { from: 1, count: 3, categoryIds: leaves, authorId: null, newest: new Date() });
  const slug = (await app.inject({ method: 'GET', url: '/api/v1/articles?_start=0&_end=1' })).json()[0].slug;
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/articles/${slug}` })).statusCode, 200);

  const admin = postgres(tdb.databaseUrl!, { max: 1, onnotice: () => {} });
  t.teardown(() => admin.end());
  const killed = await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  t.ok(killed.length >= 2, `${killed.length} server processes ended (the pool's and the pipeline's)`);
  const statuses: number[] = [];
  for (let i = 0; i < 20 && statuses.at(-1) !== 200; i++) {
    statuses.push((await app.inject({ method: 'GET', url: `/api/v1/articles/${slug}` })).statusCode);
    if (statuses.at(-1) !== 200) await sleep(100);
  }
  t.equal(statuses.at(-1), 200, `answers again (${statuses.join(', ')})`);
  t.ok(statuses.every((s) => s === 200 || s === 503), 'never a 500');
});
