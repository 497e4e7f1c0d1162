// What the public cache does with change notices: evicts exactly the keys named, empties itself
// when the keys did not fit in a notice, and re-reads the timetable after a read in flight; and
// which answers it never stores.
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { emitEvent, requestNotices } from '../../src/events/outbox.js';
import { registerPublicCache } from '../../src/plugins/public-cache.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());
const get = (url: string) => ta.app.inject({ method: 'GET', url });

async function until(check: () => boolean | Promise<boolean>, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(10);
  }
  return false;
}

/** An event committed outside any request: other instances, and this one, hear it through LISTEN only. */
const emitOutside = (purge: string[]) =>
  ta.app.ctx.db.transaction((tx) => emitEvent(tx, { type: 'media.updated', entityId: 1, data: { id: 1 }, at: new Date(), purge }));

t.test('a notice evicts the entries under its keys and nothing else', async (t) => {
  const a = await articleIn(ta, 'published');
  const b = await articleIn(ta, 'published');
  for (const id of [a.id, b.id]) await get(`/api/v1/articles/${id}`);
  t.equal((await get(`/api/v1/articles/${a.id}`)).headers['x-cache'], 'hit');
  await emitOutside([`article-${a.id}`]);
  t.ok(await until(async () => (await get(`/api/v1/articles/${a.id}`)).headers['x-cache'] === undefined), 'article a evicted');
  t.equal((await get(`/api/v1/articles/${b.id}`)).headers['x-cache'], 'hit', 'article b kept');
});

t.test('keys that do not fit in a notice empty the whole cache; the event keeps them all', async (t) => {
  const a = await articleIn(ta, 'published');
  await get(`/api/v1/articles/${a.id}`);
  await get('/api/v1/categories');
  t.equal((await get(`/api/v1/articles/${a.id}`)).headers['x-cache'], 'hit');
  // None of these names anything cached: only an "everything" notice can evict the entries.
  const many = Array.from({ length: 1000 }, (_, i) => `media-${900_000 + i}`);
  const id = await emitOutside(many);
  t.ok(await until(async () => (await get(`/api/v1/articles/${a.id}`)).headers['x-cache'] === undefined), 'the article is read again');
  t.equal((await get('/api/v1/categories')).headers['x-cache'], undefined, 'and so is everything else');
  const [row] = await ta.app.ctx.db.select({ purgeKeys: events.purgeKeys }).from(events).where(eq(events.id, id));
  t.same(row.purgeKeys, many, 'webhooks get every key');
});

t.test('a timetable notice during a timetable read makes another read after it', async (t) => {
  const app = Fastify({ logger: false });
  const reads: Array<(next: Date | null) => void> = [];
  const publicCache = await registerPublicCache(app, ta.app.ctx, { timetable: () => new Promise((resolve) => reads.push(resolve)) });
  // Raises a timetable notice as a write does: applied by this instance before it answers.
  app.post('/schedule', async () => {
    requestNotices.getStore()!.push({ id: 0, keys: [], timetable: true });
    return { ok: true };
  });
  await app.ready();
  t.teardown(() => app.close());

  t.ok(await until(() => reads.length === 1), 'the listener connected: a first read');
  reads[0](null);
  t.ok(await until(() => publicCache.cache.isFresh()), 'nothing scheduled: fresh');

  // A write's answer waits for the read its notice asks for (a client reads its own writes).
  let answered = 0;
  const first = app.inject({ method: 'POST', url: '/schedule' }).then(() => void answered++);
  t.ok(await until(() => reads.length === 2), 'a notice: a second read');
  // While that read is out, another schedule is set: the read may have missed it.
  const second = app.inject({ method: 'POST', url: '/schedule' }).then(() => void answered++);
  // Real time, for an absence: nothing starts a second read while one is out.
  await sleep(50);
  t.equal(reads.length, 2, 'one read at a time');
  t.equal(answered, 0, 'neither write is answered before its read');
  reads[1](null);
  await first;
  t.ok(await until(() => reads.length === 3), 'the notice that came during the read is answered by a read after it');
  t.equal(answered, 1, 'the second write waits for that read');
  reads[2](new Date(Date.now() - 1));
  await second;
  t.notOk(publicCache.cache.isFresh(), 'and that read decides the timetable, before the answer');
  await sleep(50);
  t.equal(reads.length, 3, 'no read more');
});

t.test('an answer that varies on another request header, or names no keys, is never stored', async (t) => {
  const app = Fastify({ logger: false });
  const publicCache = await registerPublicCache(app, ta.app.ctx, { timetable: async () => null });
  publicCache.storeResponses();
  const routes: Array<[string, Record<string, string>]> = [
    ['/plain', { 'surrogate-key': 'things' }],
    ['/vary-origin', { 'surrogate-key': 'things', vary: 'Authorization, Origin, Accept-Encoding' }],
    ['/vary-accept', { 'surrogate-key': 'things', vary: 'Origin, Accept' }],
    ['/vary-language', { 'surrogate-key': 'things', vary: 'accept-language' }],
    ['/vary-star', { 'surrogate-key': 'things', vary: '*' }],
    ['/no-keys', {}],
  ];
  for (const [url, headers] of routes) app.get(url, { config: { publicCache: true } }, async (_req, reply) => reply.headers(headers).send({ url }));
  await app.ready();
  t.teardown(() => app.close());
  const cached = async (url: string) => {
    await app.inject({ method: 'GET', url });
    return (await app.inject({ method: 'GET', url })).headers['x-cache'] === 'hit';
  };
  t.ok(await cached('/plain'));
  t.ok(await cached('/vary-origin'), 'Origin is answered per hit; Authorization is never looked up');
  for (const url of ['/vary-accept', '/vary-language', '/vary-star', '/no-keys']) t.notOk(await cached(url), url);
});
