// Curated collections (API.md §10): staff CRUD in both list dialects, the public view (live
// articles in the editors' order, up to maxItems), and how article changes reach it at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, gt } from 'drizzle-orm';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createHook, deliveriesOf, retire } from '../helpers/webhooks.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', WEBHOOK_POLL_MS: '0' });
t.teardown(() => ta.close());
const get = (url: string, app = ta.app) => app.inject({ method: 'GET', url });
const shownIds = (res: { json(): { articles: Array<{ id: number }> } }) => res.json().articles.map((a) => a.id);

async function create(payload: object) {
  const res = await ta.req('editor', { method: 'POST', url: '/api/v1/collections', payload });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  return res.json() as { id: number; slug: string; version: number; items: number[] };
}

async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(20);
  }
  return false;
}

t.test('staff CRUD: create, read by id and slug, merge on PATCH, delete; only editors and admins write', async (t) => {
  const a = await articleIn(ta, 'published');
  const created = await ta.req('editor', { method: 'POST', url: '/api/v1/collections', payload: { name: 'Tin nổi bật', items: [a.id] } });
  t.equal(created.statusCode, 201);
  const c = created.json();
  t.match(c, { name: 'Tin nổi bật', slug: 'tin-noi-bat', description: '', maxItems: 10, items: [a.id], version: 1 });
  t.equal(created.headers.location, `/api/v1/collections/${c.id}`);
  for (const who of ['author', 'editor', 'admin'] as const) {
    t.equal((await ta.req(who, { method: 'GET', url: `/api/v1/collections/${c.id}` })).json().items[0], a.id, `${who} reads`);
  }
  t.equal((await ta.req('author', { method: 'POST', url: '/api/v1/collections', payload: { name: 'x' } })).statusCode, 403);
  t.equal((await ta.req('author', { method: 'PATCH', url: `/api/v1/collections/${c.id}`, payload: { name: 'x' } })).statusCode, 403);
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/collections' })).statusCode, 401);

  const patched = await ta.req('admin', { method: 'PATCH', url: `/api/v1/collections/${c.id}`, payload: { description: 'Chọn lọc', maxItems: 3 } });
  t.match(patched.json(), { name: 'Tin nổi bật', description: 'Chọn lọc', maxItems: 3, items: [a.id], version: 2 });
  const bySlug = await ta.req('editor', { method: 'GET', url: '/api/v1/collections/tin-noi-bat' });
  t.match(bySlug.json(), { id: c.id, version: 2 });
  t.match(bySlug.headers.etag, /^"2-/);

  const del = await ta.req('editor', { method: 'DELETE', url: `/api/v1/collections/${c.id}` });
  t.match(del.json(), { id: c.id, items: [a.id] });
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).statusCode, 404);
  t.equal((await get('/api/v1/collections/tin-noi-bat')).statusCode, 404);
  t.equal((await ta.req('editor', { method: 'PATCH', url: '/api/v1/collections/abc', payload: {} })).statusCode, 404);
});

t.test('items: unknown, duplicate and more than 200 ids are 400s keyed on items', async (t) => {
  const a = await articleIn(ta, 'draft');
  const bad = async (payload: object) => ta.req('editor', { method: 'POST', url: '/api/v1/collections', payload: { name: 'Lỗi', ...payload } });
  const unknown = await bad({ items: [a.id, 999999] });
  t.equal(unknown.statusCode, 400);
  t.match(unknown.json(), { code: 'validation_failed', errors: { items: /999999/ } });
  const dup = await bad({ items: [a.id, a.id] });
  t.equal(dup.statusCode, 400);
  t.match(dup.json(), { errors: { items: new RegExp(`${a.id}`) } });
  const many = await bad({ items: Array.from({ length: 201 }, (_, i) => i + 1) });
  t.equal(many.statusCode, 400);
  t.ok(Object.keys(many.json().errors).some((k) => k === 'items'), JSON.stringify(many.json().errors));
  for (const maxItems of [0, 101, 'x']) {
    const res = await bad({ maxItems });
    t.equal(res.statusCode, 400, `maxItems ${maxItems}`);
    t.ok('maxItems' in res.json().errors);
  }
  t.equal((await bad({ name: null })).statusCode, 400, 'a required field sent as null');
  t.equal((await bad({ colour: 'red' })).statusCode, 400, 'an unknown field');
  const listed = await ta.req('editor', { method: 'GET', url: `/api/v1/collections?name=${encodeURIComponent('Lỗi')}` });
  t.same(listed.json(), [], 'nothing was created');
});

t.test('null means empty or the default for optional fields; read-only fields are ignored', async (t) => {
  const c = await create({ name: 'Vùng biên giới', description: 'Mô tả', maxItems: 4 });
  const res = await ta.req('editor', {
    method: 'PUT', url: `/api/v1/collections/${c.id}`,
    payload: { ...c, description: null, maxItems: null, items: null, slug: null, createdAt: 'x', updatedAt: 'y' },
  });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { description: '', maxItems: 10, items: [], slug: 'vung-bien-gioi', version: c.version + 1 });
});

t.test('the public view: live articles in the editors\' order, non-live skipped, the next moves up, maxItems', async (t) => {
  const [a, b, d, e] = [await articleIn(ta, 'published'), await articleIn(ta, 'draft'), await articleIn(ta, 'published'), await articleIn(ta, 'published')];
  const arch = await articleIn(ta, 'archived');
  const c = await create({ name: 'Trang nhất', items: [d.id, b.id, arch.id, a.id, e.id], maxItems: 2 });
  const res = await get(`/api/v1/collections/${c.slug}`);
  t.equal(res.statusCode, 200);
  t.same(shownIds(res), [d.id, a.id], 'order kept, draft and archived skipped, cut at maxItems');
  t.match(res.json(), { id: c.id, name: 'Trang nhất', slug: c.slug, maxItems: 2 });
  t.notOk('items' in res.json(), 'items (which may name drafts) are not public');
  t.notOk('version' in res.json());
  t.match(res.headers['cache-control'], /public/);
  t.match(res.headers['surrogate-key'], new RegExp(`(^| )collection-${c.id}( |$)`));
  t.match(res.headers['surrogate-key'], new RegExp(`(^| )article-${a.id}( |$)`));
  const single = await get(`/api/v1/articles/${a.id}`);
  t.same(res.json().articles[1], single.json(), 'each article in the public article shape');
  t.notMatch(res.body, /"(status|authorId|publishAt|live)"/);

  await transition(ta, 'editor', d.id, 'unpublish');
  t.same(shownIds(await get(`/api/v1/collections/${c.slug}`)), [a.id, e.id], 'unpublished: the next one moves up');
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).json().items.length, 5, 'but it stays in items');
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', d.id, action);
  t.same(shownIds(await get(`/api/v1/collections/${c.id}`)), [d.id, a.id], 're-published: back in its place');

  const reordered = await ta.req('editor', { method: 'PATCH', url: `/api/v1/collections/${c.id}`, payload: { items: [e.id, a.id, d.id] } });
  t.same(reordered.json().items, [e.id, a.id, d.id]);
  t.same(shownIds(await get(`/api/v1/collections/${c.slug}`)), [e.id, a.id], 'a reorder shows at once');
  t.equal((await get('/api/v1/collections/khong-co')).statusCode, 404);
});

t.test('unpublish removes the article from the cached public view within one request', async (t) => {
  const a = await articleIn(ta, 'published');
  const b = await articleIn(ta, 'published');
  const c = await create({ name: 'Bộ đệm', items: [a.id, b.id] });
  await get(`/api/v1/collections/${c.slug}`);
  const hit = await get(`/api/v1/collections/${c.slug}`);
  t.equal(hit.headers['x-cache'], 'hit', 'the public view is cached');
  await transition(ta, 'editor', a.id, 'unpublish');
  t.same(shownIds(await get(`/api/v1/collections/${c.slug}`)), [b.id], 'the next request no longer shows it');
  await transition(ta, 'editor', b.id, 'archive');
  t.same(shownIds(await get(`/api/v1/collections/${c.slug}`)), [], 'archived too');
  const staff = await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.slug}` });
  t.equal(staff.headers['x-cache'], undefined, 'staff never get the cached view');
  t.match(staff.json(), { items: [a.id, b.id] });
});

t.test('deleting an article removes it from every collection in the same transaction', async (t) => {
  const a = await articleIn(ta, 'published');
  const b = await articleIn(ta, 'published');
  const c1 = await create({ name: 'Xóa một', items: [a.id, b.id] });
  const c2 = await create({ name: 'Xóa hai', items: [b.id, a.id] });
  await get(`/api/v1/collections/${c1.slug}`);
  const since = (await ta.app.ctx.db.select({ id: events.id }).from(events).orderBy(asc(events.id))).at(-1)!.id;
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${a.id}` });
  t.equal(del.statusCode, 200);
  for (const c of [c1, c2]) {
    const staff = (await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).json();
    t.same(staff.items, [b.id], `${c.slug}: gone from items`);
    t.equal(staff.version, c.version + 1, 'a new version');
  }
  t.same(shownIds(await get(`/api/v1/collections/${c1.slug}`)), [b.id]);
  const updated = await ta.app.ctx.db.select().from(events).where(and(gt(events.id, since), eq(events.type, 'collection.updated'))).orderBy(asc(events.id));
  t.same(updated.map((e) => e.entityId).sort(), [c1.id, c2.id].sort(), 'one collection.updated each');
  t.same((updated[0].data as { articleIds: number[] }).articleIds, [b.id]);
  t.same(updated[0].purgeKeys, [`collection-${updated[0].entityId}`]);
});

t.test('an article change fires collection.updated once per collection that shows it', async (t) => {
  const hook = await createHook(ta, 'https://hooks.example.invalid/toasoan', ['collection.updated']);
  t.teardown(() => retire(ta, hook.id));
  const a = await articleIn(ta, 'approved');
  const fillers = [await articleIn(ta, 'published'), await articleIn(ta, 'published')];
  const c1 = await create({ name: 'Sự kiện một', items: [a.id] });
  const c2 = await create({ name: 'Sự kiện hai', items: [fillers[0].id, a.id] });
  // Shown only below two live articles with maxItems 2: its publication changes nothing here.
  const c3 = await create({ name: 'Sự kiện ba', items: [fillers[0].id, fillers[1].id, a.id], maxItems: 2 });
  const since = (await ta.app.ctx.db.select({ id: events.id }).from(events).orderBy(asc(events.id))).at(-1)!.id;
  const updatesSince = async (after: number) =>
    (await ta.app.ctx.db.select().from(events).where(and(gt(events.id, after), eq(events.type, 'collection.updated'))).orderBy(asc(events.id))).map((e) => e.entityId);

  await transition(ta, 'editor', a.id, 'publish');
  t.same(await updatesSince(since), [c1.id, c2.id], 'publish: one event per collection showing it, none for c3');
  const mid = (await ta.app.ctx.db.select({ id: events.id }).from(events).orderBy(asc(events.id))).at(-1)!.id;
  await transition(ta, 'editor', a.id, 'unpublish');
  t.same(await updatesSince(mid), [c1.id, c2.id], 'unpublish: the same');
  const deliveries = await deliveriesOf(ta, hook.id);
  t.equal(deliveries.filter((d) => d.event === 'collection.updated').length, 2 + 2 + 0, 'one delivery per event');
  const last = async () => (await ta.app.ctx.db.select({ id: events.id }).from(events).orderBy(asc(events.id))).at(-1)!.id;
  let before = await last();
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  t.same(await updatesSince(before), [c1.id, c2.id], 're-publish: the same');
  before = await last();
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Bản nháp mới' } });
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  t.same(await updatesSince(before), [c1.id, c2.id], 'edited and re-published: the same, once each');
  before = await last();
  await transition(ta, 'editor', a.id, 'archive');
  t.same(await updatesSince(before), [c1.id, c2.id], 'archive: the same');
  before = await last();
  await transition(ta, 'editor', fillers[1].id, 'unpublish');
  t.same(await updatesSince(before), [c3.id], 'a member shown only in c3 (a is archived: it moves up nowhere)');
});

t.test('two editors reordering from the same version: one gets 412', async (t) => {
  const [a, b] = [await articleIn(ta, 'published'), await articleIn(ta, 'published')];
  const c = await create({ name: 'Cùng lúc', items: [a.id, b.id] });
  const etag = (await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).headers.etag as string;
  const reorder = (items: number[], as: 'editor' | 'admin') =>
    ta.req(as, { method: 'PATCH', url: `/api/v1/collections/${c.id}`, headers: { 'if-match': etag }, payload: { items } });
  const results = await Promise.all([reorder([b.id, a.id], 'editor'), reorder([b.id], 'admin')]);
  t.same(results.map((r) => r.statusCode).sort(), [200, 412]);
  const loser = results.find((r) => r.statusCode === 412)!;
  t.match(loser.json(), { code: 'precondition_failed' });
  const winner = results.find((r) => r.statusCode === 200)!.json();
  t.same((await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).json().items, winner.items, 'the loser changed nothing');
  const stale = await ta.req('editor', { method: 'PATCH', url: `/api/v1/collections/${c.id}`, payload: { version: 1, items: [] } });
  t.equal(stale.statusCode, 412, 'a body version is a precondition too');
});

t.test('both list dialects; built-in names are 400s', async (t) => {
  for (const name of ['Lúa gạo', 'Đồng Tháp', 'An Giang']) await create({ name });
  const js = await ta.req('author', { method: 'GET', url: '/api/v1/collections?_start=0&_end=2&_sort=name&_order=ASC&q=dong thap' });
  t.equal(js.statusCode, 200);
  t.same(js.json().map((c: { name: string }) => c.name), ['Đồng Tháp']);
  t.equal(js.headers['x-total-count'], '1');
  const page = await ta.req('author', { method: 'GET', url: '/api/v1/collections?_start=0&_end=2&_sort=name&_order=ASC' });
  t.equal(page.json().length, 2);
  t.match(page.headers['content-range'], /^collections 0-1\/\d+$/);
  const sr = await ta.req('author', { method: 'GET', url: `/api/v1/collections?range=${encodeURIComponent('[0,0]')}&sort=${encodeURIComponent('["name","DESC"]')}&filter=${encodeURIComponent('{"q":"an giang"}')}` });
  t.equal(sr.statusCode, 200);
  t.same(sr.json().map((c: { name: string }) => c.name), ['An Giang']);
  t.match(sr.headers['content-range'], /^collections 0-0\/1$/);
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const res = await ta.req('author', { method: 'GET', url: `/api/v1/collections?${name}=1` });
    t.equal(res.statusCode, 400, `filter ${name}`);
    const sorted = await ta.req('author', { method: 'GET', url: `/api/v1/collections?_sort=${name}` });
    t.equal(sorted.statusCode, 400, `sort ${name}`);
  }
  const asField = await create({ name: 'constructor', description: '__proto__' });
  t.match(asField, { slug: 'constructor' }, 'built-in names as values are plain text');
});

t.test('an unpublish on instance A leaves the public view cached on instance B at once', async (t) => {
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0', WEBHOOK_POLL_MS: '0' });
  const [x, y] = [await articleIn(ta, 'published'), await articleIn(ta, 'published')];
  const c = await create({ name: 'Hai máy chủ', items: [x.id, y.id] });
  // The create's own notice reaches B a moment later and may evict B's first answer: read until cached.
  t.ok(await within(2000, async () => (await get(`/api/v1/collections/${c.slug}`, b)).headers['x-cache'] === 'hit'), 'B has the view cached');
  await transition(ta, 'editor', x.id, 'unpublish');
  t.ok(await within(1000, async () => JSON.stringify(shownIds(await get(`/api/v1/collections/${c.slug}`, b))) === JSON.stringify([y.id])), 'B drops it within a second');
  await transition(ta, 'editor', y.id, 'archive');
  t.ok(await within(1000, async () => shownIds(await get(`/api/v1/collections/${c.slug}`, b)).length === 0), 'and after an archive');
});

t.test('OpenAPI documents the collection routes and related articles', async (t) => {
  const doc = (await get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
  t.ok(doc.paths['/api/v1/collections/'] ?? doc.paths['/api/v1/collections'], 'list and create');
  t.ok(doc.paths['/api/v1/collections/{idOrSlug}']?.get, 'public view / staff read');
  t.ok(doc.paths['/api/v1/collections/{id}']?.patch, 'update');
  t.ok(doc.paths['/api/v1/articles/{idOrSlug}/related']?.get, 'related articles');
});

t.test('an article deleted while its collection is reordered: both commit, no deadlock, no 500', async (t) => {
  for (let round = 0; round < 5; round++) {
    const [x, y] = [await articleIn(ta, 'published'), await articleIn(ta, 'published')];
    const c = await create({ name: `Đồng thời ${round}`, items: [x.id, y.id] });
    const [del, patch] = await Promise.all([
      ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${x.id}` }),
      ta.req('editor', { method: 'PATCH', url: `/api/v1/collections/${c.id}`, payload: { items: [y.id] } }),
    ]);
    t.same([del.statusCode, patch.statusCode], [200, 200], `round ${round}: ${patch.body.slice(0, 120)}`);
    t.same((await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}` })).json().items, [y.id]);
  }
});

t.test('fields chooses the fields of the public view\'s articles, and of the staff record', async (t) => {
  const a = await articleIn(ta, 'published', { tags: ['Gọn nhẹ'] });
  const b = await articleIn(ta, 'published', { tags: ['Gọn nhẹ'] });
  const c = await create({ name: 'Tin nổi bật gọn', items: [a.id, b.id] });
  const full = await get(`/api/v1/collections/${c.slug}`);
  const lean = await get(`/api/v1/collections/${c.slug}?fields=title,url`);
  t.equal(lean.statusCode, 200, lean.body);
  t.same(lean.json().articles.map((x: Record<string, unknown>) => Object.keys(x)), [['id', 'title', 'url'], ['id', 'title', 'url']], 'id always, then the chosen fields in the record\'s order');
  t.same(lean.json().articles.map((x: { title: string }) => x.title), full.json().articles.map((x: { title: string }) => x.title));
  t.match(lean.json(), { id: c.id, name: 'Tin nổi bật gọn', slug: c.slug }, 'the collection itself is whole');
  t.not(lean.headers.etag, full.headers.etag, 'the ETag varies by fields');
  const again = await get(`/api/v1/collections/${c.slug}?fields=url,title`);
  t.same(again.json(), lean.json(), 'order in the parameter does not matter');
  t.same((await get(`/api/v1/collections/${c.slug}`)).json(), full.json(), 'the full view is not served from the lean one');
  for (const bad of ['status', 'constructor', '__proto__', 'title,,url']) {
    const res = await get(`/api/v1/collections/${c.slug}?fields=${encodeURIComponent(bad)}`);
    t.equal(res.statusCode, 400, `fields=${bad}`);
    t.ok(Object.hasOwn(res.json().errors ?? {}, 'query.fields'), `fields=${bad} keyed on query.fields`);
  }
  const staff = await ta.req('editor', { method: 'GET', url: `/api/v1/collections/${c.id}?fields=name,items` });
  t.same(Object.keys(staff.json()), ['id', 'name', 'items'], 'staff: the record\'s own fields');
  const related = await get(`/api/v1/articles/${a.id}/related?fields=title`);
  t.equal(related.statusCode, 200, related.body);
  t.ok((related.json() as unknown[]).length > 0, 'related has articles to cut');
  for (const r of related.json() as Array<Record<string, unknown>>) t.same(Object.keys(r), ['id', 'title'], 'related: fields applies');
});
