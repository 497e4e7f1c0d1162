import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '100' });
t.teardown(() => ta.close());

const anon = (id: number) => ta.app.inject({ method: 'GET', url: `/api/v1/articles/${id}` });
const staff = async (id: number) => (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${id}` })).json();
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

async function waitFor(check: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

t.test('a scheduled article goes live at its time with no request in between', async (t) => {
  const a = await articleIn(ta, 'approved', { title: 'Lên lịch' });
  const at = soon(1500);
  const res = await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { status: 'scheduled', publishAt: at, live: null });
  t.equal((await anon(a.id)).statusCode, 404, 'not before its time');
  t.notOk((await ta.app.inject({ method: 'GET', url: '/api/v1/articles' })).json().some((x: { id: number }) => x.id === a.id));
  await sleep(Date.parse(at) - Date.now() + 50);
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
  const at = soon(1200);
  t.equal((await transition(ta, 'editor', a.id, 'publish', { publishAt: at })).json().status, 'scheduled');
  t.equal((await anon(a.id)).json().title, 'Phiên bản cũ');
  t.equal((await staff(a.id)).live.publishedAt, (await anon(a.id)).json().publishedAt);
  await sleep(Date.parse(at) - Date.now() + 50);
  t.equal((await anon(a.id)).json().title, 'Phiên bản mới');
  const list = (await ta.app.inject({ method: 'GET', url: '/api/v1/articles?_end=100' })).json();
  t.equal(list.filter((x: { id: number }) => x.id === a.id).length, 1, 'never listed twice');
});

t.test('scheduling in the past publishes now; unpublish cancels a schedule', async (t) => {
  const a = await articleIn(ta, 'approved');
  const past = await transition(ta, 'editor', a.id, 'publish', { publishAt: new Date(Date.now() - 60_000).toISOString() });
  t.equal(past.json().status, 'published');
  t.equal((await anon(a.id)).statusCode, 200);
  const b = await articleIn(ta, 'scheduled');
  const un = await transition(ta, 'editor', b.id, 'unpublish');
  t.match(un.json(), { status: 'draft', publishAt: null, live: null });
});

t.test('the schedule survives a restart', async (t) => {
  const a = await articleIn(ta, 'approved', { title: 'Qua khởi động lại' });
  const at = soon(800);
  await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  // The instance that scheduled it stops; another (same database) starts after the time.
  const other = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0' });
  await sleep(Date.parse(at) - Date.now() + 100);
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
  // Far enough ahead that all six are scheduled before it, even on a loaded machine (a time
  // already past when the publish arrives publishes at once, by the editor).
  const at = soon(3000);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const x = await articleIn(ta, 'approved');
    await transition(ta, 'editor', x.id, 'publish', { publishAt: at });
    ids.push(x.id);
  }
  await sleep(Date.parse(at) - Date.now());
  // How soon is not the point here (a loaded machine may take a while): that each goes live once is.
  const published = async () => (await Promise.all(ids.map(staff))).every((x) => x.status === 'published');
  t.ok(await waitFor(published, 10_000), 'all went live');
  await sleep(200);
  for (const id of ids) {
    const h = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${id}/history` })).json();
    t.equal(h.filter((e: { actorId: number | null }) => e.actorId === null).length, 1, `article ${id} went live once`);
    t.equal((await staff(id)).status, 'published');
  }
});
