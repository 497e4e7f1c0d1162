import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock, eventually } from '../helpers/clock.js';

// Publication times are an hour ahead and reached by moving the service's clock. The scheduler
// job still runs on its real interval (that it runs by itself is part of the rule): the
// bookkeeping it does is waited for as a condition.
const clock = createClock();
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '100' }, { clock });
t.teardown(() => ta.close());

const anon = (id: number) => ta.app.inject({ method: 'GET', url: `/api/v1/articles/${id}` });
const staff = async (id: number) => (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${id}` })).json();
const HOUR = 3600_000;
/** Moves the clock to a minute before `at`, then to `at`. */
const toMinuteBefore = (at: string) => clock.advance(Date.parse(at) - clock.now().getTime() - 60_000);
const waitFor = (check: () => Promise<boolean>, ms = 5000) => eventually(check, ms, 50);

t.test('a scheduled article goes live at its time with no request in between', async (t) => {
  const a = await articleIn(ta, 'approved', { title: 'Lên lịch' });
  const at = clock.iso(HOUR);
  const res = await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { status: 'scheduled', publishAt: at, live: null });
  t.equal((await anon(a.id)).statusCode, 404, 'not before its time');
  t.notOk((await ta.app.inject({ method: 'GET', url: '/api/v1/articles' })).json().some((x: { id: number }) => x.id === a.id));
  toMinuteBefore(at);
  t.equal((await anon(a.id)).statusCode, 404, 'not a minute before');
  t.equal((await staff(a.id)).status, 'scheduled', 'and the scheduler has left it alone');
  clock.advance(60_000);
  const live = await anon(a.id);
  t.equal(live.statusCode, 200, 'visible at its time');
  t.equal(live.json().publishedAt, at);
  t.ok(await waitFor(async () => (await staff(a.id)).status === 'published'), 'the status turns published shortly after');
  const s = await staff(a.id);
  t.match(s, { status: 'published', publishAt: null, publishedAt: at, live: { publishedAt: at } });
  const h = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/history` })).json();
  t.match(h.at(-1), { action: 'publish', from: 'scheduled', to: 'published', actorId: null, at });
});

t.test('a scheduled re-publication leaves the old version live until its time', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Phiên bản cũ' });
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Phiên bản mới' } });
  await transition(ta, 'editor', a.id, 'submit');
  await transition(ta, 'editor', a.id, 'approve');
  const at = clock.iso(HOUR);
  t.equal((await transition(ta, 'editor', a.id, 'publish', { publishAt: at })).json().status, 'scheduled');
  t.equal((await anon(a.id)).json().title, 'Phiên bản cũ');
  t.equal((await staff(a.id)).live.publishedAt, (await anon(a.id)).json().publishedAt);
  toMinuteBefore(at);
  t.equal((await anon(a.id)).json().title, 'Phiên bản cũ', 'the old version a minute before');
  clock.advance(60_000);
  t.equal((await anon(a.id)).json().title, 'Phiên bản mới');
  const list = (await ta.app.inject({ method: 'GET', url: '/api/v1/articles?_end=100' })).json();
  t.equal(list.filter((x: { id: number }) => x.id === a.id).length, 1, 'never listed twice');
});

t.test('scheduling in the past publishes now; unpublish cancels a schedule', async (t) => {
  const a = await articleIn(ta, 'approved');
  const past = await transition(ta, 'editor', a.id, 'publish', { publishAt: clock.iso(-60_000) });
  t.equal(past.json().status, 'published');
  t.equal((await anon(a.id)).statusCode, 200);
  const b = await articleIn(ta, 'scheduled');
  const un = await transition(ta, 'editor', b.id, 'unpublish');
  t.match(un.json(), { status: 'draft', publishAt: null, live: null });
});

t.test('the schedule survives a restart', async (t) => {
  const a = await articleIn(ta, 'approved', { title: 'Qua khởi động lại' });
  const at = clock.iso(HOUR);
  await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  // The instance that scheduled it stops; another (same database) starts after the time.
  const other = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0' });
  clock.advance(HOUR);
  const later = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '100' });
  t.ok(
    await waitFor(async () => (await later.inject({ method: 'GET', url: `/api/v1/articles/${a.id}`, headers: { authorization: `Bearer ${ta.users.editor.token}` } })).json().status === 'published'),
  );
  t.equal((await other.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).statusCode, 200);
});

t.test('10 concurrent approvals: exactly one wins, one history row', async (t) => {
  const a = await articleIn(ta, 'in_review');
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => transition(ta, i % 2 ? 'editor' : 'admin', a.id, 'approve')));
  const codes = results.map((r) => r.statusCode).sort();
  t.same(codes, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  const h = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/history` })).json();
  t.equal(h.filter((e: { action: string }) => e.action === 'approve').length, 1);
});

t.test('two instances on one database: each due article is handled once', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL (several connections)' }, async (t) => {
  const a = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '20' });
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '20' });
  t.ok(a && b);
  const at = clock.iso(HOUR);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const x = await articleIn(ta, 'approved');
    await transition(ta, 'editor', x.id, 'publish', { publishAt: at });
    ids.push(x.id);
  }
  clock.advance(HOUR);
  // How soon is not the point here (a loaded machine may take a while): that each goes live once is.
  const published = async () => (await Promise.all(ids.map(staff))).every((x) => x.status === 'published');
  t.ok(await waitFor(published, 10_000), 'all went live');
  // Real time, for an absence: a second run of the same article, had one started, has committed.
  await sleep(200);
  for (const id of ids) {
    const h = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${id}/history` })).json();
    t.equal(h.filter((e: { actorId: number | null }) => e.actorId === null).length, 1, `article ${id} went live once`);
    t.equal((await staff(id)).status, 'published');
  }
});
