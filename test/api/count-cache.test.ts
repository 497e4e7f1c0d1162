// Article list totals come from the count cache (src/db/count-cache.ts): exact after every kind of
// committed change, on this instance, on another one and from outside the service, never ahead of
// an uncommitted writer, and for public lists never behind the publication timetable.
import { and, arrayContains, sql } from 'drizzle-orm';
import postgres from 'postgres';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock } from '../helpers/clock.js';
import { CountCache, pipelinedStamp } from '../../src/db/count-cache.js';
import { articleLive } from '../../src/db/schema/index.js';
import { visibilityChangeAfter, visibleAt } from '../../src/modules/articles/live.queries.js';

// A scheduled article is counted from its time on: that time is reached by moving the clock.
const clock = createClock();
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', PUBLIC_CACHE: 'off' }, { clock });
t.teardown(() => ta.close());
const counts = ta.app.ctx.counts!;

const total = async (url: string, app = ta.app) => {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ta.users.editor.token}` } });
  if (res.statusCode !== 200) throw new Error(res.body);
  return { total: Number(res.headers['x-total-count']), rows: res.json().length as number, range: res.headers['content-range'] };
};

const cat = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự đếm' } });
const child = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin huyện' } });
const parentId: number = cat.json().id;
const childId: number = child.json().id;
const inCat = `/api/v1/articles?category=${cat.json().slug}&_start=0&_end=2`;
const drafts = '/api/v1/articles?status=draft&_start=0&_end=2';

t.test('a repeated list is counted once, and stays exact', async (t) => {
  await articleIn(ta, 'draft', { categoryId: parentId });
  const before = counts.counters;
  const first = await total(drafts);
  const second = await total(drafts);
  t.same(second, first);
  t.equal(counts.counters.misses, before.misses + 1, 'counted once');
  t.equal(counts.counters.hits, before.hits + 1, 'then answered from memory');
});

t.test('a write through the API is counted by the next list', async (t) => {
  const start = (await total(drafts)).total;
  await articleIn(ta, 'draft');
  t.equal((await total(drafts)).total, start + 1, 'create');
  const a = await articleIn(ta, 'draft');
  t.equal((await total(drafts)).total, start + 2);
  t.equal((await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/transitions`, payload: { action: 'submit' } })).statusCode, 200);
  t.equal((await total(drafts)).total, start + 1, 'a transition moves it out of the filter');
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${a.id}` });
  t.equal(del.statusCode, 200);
  t.equal((await total('/api/v1/articles?status=in_review')).total, 0, 'delete');
});

t.test('a change made outside the service is seen at once, without a notice', async (t) => {
  const start = (await total(drafts)).total;
  t.ok(start > 0);
  // A script or a psql session: no request of this instance, no event.
  await ta.app.ctx.db.execute(sql`UPDATE articles SET status = 'archived' WHERE status = 'draft'`);
  t.same(await total(drafts), { total: 0, rows: 0, range: 'articles */0' });
  await ta.app.ctx.db.execute(sql`UPDATE articles SET status = 'draft' WHERE status = 'archived'`);
  t.equal((await total(drafts)).total, start);
});

t.test('moving a category under another changes the count of the parent, which includes sub-categories', async (t) => {
  await articleIn(ta, 'draft', { categoryId: childId });
  const before = (await total(inCat)).total;
  const moved = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${childId}`, payload: { parentId } });
  t.equal(moved.statusCode, 200, moved.body);
  t.equal((await total(inCat)).total, before + 1);
});

t.test('another instance on the same database sees a write at once', async (t) => {
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0', PUBLIC_CACHE: 'off' });
  const onB = (await total(drafts, b)).total;
  t.equal((await total(drafts, b)).total, onB, 'B has it in memory');
  await articleIn(ta, 'draft');
  t.equal((await total(drafts, b)).total, onB + 1, 'no wait for a notice: B checks the stamp');
});

t.test('a writer that has not committed is not counted, and is counted once it commits', { skip: !process.env.DATABASE_URL && 'needs two connections (PostgreSQL)' }, async (t) => {
  const url = ta.app.ctx.config.databaseUrl!;
  const writer = postgres(url, { max: 1, onnotice: () => {} });
  t.teardown(() => writer.end());
  const start = (await total(drafts)).total;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const didInsert = new Promise<void>((r) => (inserted = r));
  const tx = writer.begin(async (w) => {
    await w`INSERT INTO articles (title, slug) VALUES ('Chưa xong', ${`chua-xong-${Date.now()}`})`;
    inserted();
    await held;
  });
  await didInsert;
  t.equal((await total(drafts)).total, start, 'not yet');
  t.equal((await total(drafts)).total, start, 'still not, from memory');
  release();
  await tx;
  t.equal((await total(drafts)).total, start + 1, 'counted right after the commit');
});

t.test('a rolled-back write changes nothing, and the cache stays bounded', async (t) => {
  const start = (await total(drafts)).total;
  await ta.app.ctx.db
    .transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO articles (title, slug) VALUES ('Huỷ', 'huy-bo-dem')`);
      tx.rollback();
    })
    .catch(() => {});
  t.equal((await total(drafts)).total, start);
  for (let i = 0; i < 30; i++) await total(`/api/v1/articles?status=draft&title_like=${i}`);
  t.ok(counts.counters.size <= 1000);
});

const publicTotal = async (url: string) => {
  const res = await ta.app.inject({ method: 'GET', url });
  if (res.statusCode !== 200) throw new Error(res.body);
  return Number(res.headers['x-total-count']);
};

t.test('public totals: one count for every page of a filter, a publish counted at once, a scheduled article from its time on', async (t) => {
  const tag = `Đếm ${Date.now()}`;
  const page = (start: number) => `/api/v1/articles?tag=${encodeURIComponent(tag)}&_start=${start}&_end=${start + 1}`;
  await articleIn(ta, 'published', { tags: [tag] });
  const before = counts.counters;
  t.equal(await publicTotal(page(0)), 1);
  t.equal(await publicTotal(page(1)), 1, 'the page after the last');
  t.equal(counts.counters.misses, before.misses + 1, 'counted once');
  t.equal(counts.counters.hits, before.hits + 1, 'the second page from memory');

  await articleIn(ta, 'published', { tags: [tag] });
  t.equal(await publicTotal(page(0)), 2, 'a publish is counted by the next list');

  const at = clock.iso(3600_000);
  const s = await articleIn(ta, 'approved', { tags: [tag] });
  const scheduled = await transition(ta, 'editor', s.id, 'publish', { publishAt: at });
  t.equal(scheduled.json().status, 'scheduled');
  t.equal(await publicTotal(page(0)), 2, 'not public before its time');
  const hits = counts.counters.hits;
  t.equal(await publicTotal(page(0)), 2);
  t.equal(counts.counters.hits, hits + 1, 'from memory until then');
  clock.advance(Date.parse(at) - clock.now().getTime() - 60_000);
  t.equal(await publicTotal(page(0)), 2, 'a minute before');
  t.equal(counts.counters.hits, hits + 2, 'still from memory');
  clock.advance(60_000);
  // No write in between (the scheduler is off): only the clock moved.
  t.equal(await publicTotal(page(0)), 3, 'counted from its time on');
  t.equal(await publicTotal(page(1)), 3);
});

t.test('a clocked count holds only between the time it was taken and the next change', async (t) => {
  const cache = new CountCache(pipelinedStamp(ta.app.ctx.database));
  const { db } = ta.app.ctx;
  const tag = `Giờ ${Date.now()}`;
  const filters = and(arrayContains(articleLive.tags, [tag]));
  const countAt = (now: Date) => cache.count(db, articleLive, and(visibleAt(now), filters), { scope: 'visible', now, filters, nextChange: visibilityChangeAfter(now) });
  const a = await articleIn(ta, 'published', { tags: [tag] });
  // Its live version, made to appear in an hour and to end in two.
  const t0 = Date.now();
  await db.execute(sql`UPDATE article_live SET visible_from = ${new Date(t0 + 3600_000).toISOString()}::timestamptz WHERE article_id = ${a.id}`);
  t.equal(await countAt(new Date(t0)), 0);
  t.equal(await countAt(new Date(t0 + 3599_000)), 0);
  t.same(cache.counters, { hits: 1, misses: 1, size: 1 }, 'the same until the version appears');
  t.equal(await countAt(new Date(t0 + 3600_000)), 1, 'from its time');
  t.equal(await countAt(new Date(t0 - 60_000)), 0, 'a clock set back is counted again');
  t.equal(cache.counters.misses, 3);
});
