import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock, eventually } from '../helpers/clock.js';

// Scheduled visibility is tested by moving the service's clock; real time is kept only for what
// crosses instances (LISTEN/NOTIFY), whose promise is a delay ("within one second").
const clock = createClock();
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' }, { clock });
t.teardown(() => ta.close());
const get = (url: string, app = ta.app) => app.inject({ method: 'GET', url });
const ids = (res: { json(): Array<{ id: number }> }) => res.json().map((a) => a.id);

/** Real milliseconds until `check` held, or null if it did not within `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const start = Date.now();
  return (await eventually(check, ms)) ? Date.now() - start : null;
}

t.test('anonymous reads are served from memory; staff reads never', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Bộ nhớ đệm' });
  const first = await get('/api/v1/articles');
  t.equal(first.headers['x-cache'], undefined);
  const second = await get('/api/v1/articles');
  t.equal(second.headers['x-cache'], 'hit');
  t.equal(second.body, first.body);
  for (const h of ['etag', 'x-total-count', 'content-range', 'cache-control', 'content-type']) t.equal(second.headers[h], first.headers[h], h);
  const nm = await ta.app.inject({ method: 'GET', url: '/api/v1/articles', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(nm.statusCode, 304);
  await get(`/api/v1/articles/${a.slug}`);
  t.equal((await get(`/api/v1/articles/${a.slug}`)).headers['x-cache'], 'hit');
  const staff = await ta.req('editor', { method: 'GET', url: '/api/v1/articles' });
  t.equal(staff.headers['x-cache'], undefined);
  t.match(staff.json()[0], { status: String }, 'staff get working copies, not the cached public list');
});

t.test('a hit replays the first answer: security and CORS headers, 304, HEAD', async (t) => {
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0', CORS_ORIGINS: 'https://baodongthap.vn' });
  const miss = await get('/api/v1/categories', b);
  const hit = await b.inject({ method: 'GET', url: '/api/v1/categories', headers: { origin: 'https://baodongthap.vn', 'x-request-id': 'cache-hit-1' } });
  t.equal(hit.headers['x-cache'], 'hit');
  for (const h of ['content-security-policy', 'x-content-type-options', 'strict-transport-security', 'cache-control', 'etag', 'x-total-count', 'content-range', 'vary']) {
    t.equal(hit.headers[h], miss.headers[h], h);
  }
  t.equal(hit.headers['x-request-id'], 'cache-hit-1');
  t.equal(hit.headers['access-control-allow-origin'], 'https://baodongthap.vn');
  t.match(hit.headers['access-control-expose-headers'], 'X-Total-Count');
  const other = await b.inject({ method: 'GET', url: '/api/v1/categories', headers: { origin: 'https://evil.example' } });
  t.equal(other.headers['x-cache'], 'hit');
  t.equal(other.headers['access-control-allow-origin'], undefined);
  const nm = await b.inject({ method: 'GET', url: '/api/v1/categories', headers: { 'if-none-match': miss.headers.etag as string } });
  t.equal(nm.statusCode, 304);
  t.equal(nm.body, '');
  const head = await b.inject({ method: 'HEAD', url: '/api/v1/categories' });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '');
  t.equal(Number(head.headers['content-length']), Buffer.byteLength(miss.body));
});

t.test('over HTTP a hit is answered before routing, with the same bytes and headers', async (t) => {
  let routed = 0;
  const c = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0', CORS_ORIGINS: 'https://baodongthap.vn' }, (app) => app.addHook('onRequest', async () => void routed++));
  await c.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => c.close());
  const base = `http://127.0.0.1:${(c.server.address() as { port: number }).port}`;
  const a = await articleIn(ta, 'published', { title: 'Trả lời trước định tuyến' });
  const url = `${base}/api/v1/articles/${a.slug}`;
  const miss = await fetch(url);
  const missBody = await miss.text();
  t.equal(miss.headers.get('x-cache'), null);
  const hit = await fetch(url, { headers: { origin: 'https://baodongthap.vn', 'x-request-id': 'front-hit-1' } });
  t.equal(hit.status, 200);
  t.equal(hit.headers.get('x-cache'), 'hit');
  t.equal(await hit.text(), missBody, 'the very bytes');
  for (const h of ['content-type', 'content-length', 'etag', 'cache-control', 'vary', 'content-security-policy', 'strict-transport-security', 'x-content-type-options', 'surrogate-key', 'cache-tag']) {
    t.equal(hit.headers.get(h), miss.headers.get(h), h);
  }
  t.equal(hit.headers.get('surrogate-key'), `article-${a.id}`);
  t.equal(hit.headers.get('x-request-id'), 'front-hit-1', 'a well-formed request id is kept');
  t.equal(hit.headers.get('access-control-allow-origin'), 'https://baodongthap.vn');
  t.equal(routed, 1, 'only the miss went through Fastify');
  const badId = await fetch(url, { headers: { 'x-request-id': 'bad id with spaces' } });
  t.not(badId.headers.get('x-request-id'), 'bad id with spaces', 'a malformed request id is replaced');
  t.match(badId.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
  const nm = await fetch(url, { headers: { 'if-none-match': miss.headers.get('etag')! } });
  t.equal(nm.status, 304);
  const head = await fetch(url, { method: 'HEAD' });
  t.equal(head.headers.get('x-cache'), 'hit');
  t.equal(head.headers.get('content-length'), String(Buffer.byteLength(missBody)));
  const staff = await fetch(url, { headers: { authorization: `Bearer ${ta.users.editor.token}` } });
  t.equal(staff.headers.get('x-cache'), null, 'a request with a token never comes from the cache');
  t.match(await staff.json(), { status: 'published' }, 'staff get the working copy');
  // A change on another instance reaches this one, and its next answer is fresh.
  await transition(ta, 'editor', a.id, 'unpublish');
  const gone = await within(1000, async () => (await fetch(url)).status === 404);
  t.not(gone, null, 'unpublished: 404 within a second');
});

t.test('publish, unpublish, re-publish and category renames show at once', async (t) => {
  const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Kinh tế' } })).json();
  const a = await articleIn(ta, 'approved', { title: 'Giá lúa tăng', categoryId: cat.id });
  await get('/api/v1/articles');
  await get('/api/v1/articles');
  await transition(ta, 'editor', a.id, 'publish');
  t.ok(ids(await get('/api/v1/articles')).includes(a.id), 'publish');
  t.equal((await get(`/api/v1/articles/${a.id}`)).json().category.name, 'Kinh tế');
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${cat.id}`, payload: { name: 'Kinh tế - Thị trường' } });
  t.equal((await get(`/api/v1/articles/${a.id}`)).json().category.name, 'Kinh tế - Thị trường', 'category rename');
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Giá lúa tăng mạnh' } });
  t.equal((await get(`/api/v1/articles/${a.id}`)).json().title, 'Giá lúa tăng', 'a working-copy edit changes nothing public');
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  t.equal((await get(`/api/v1/articles/${a.id}`)).json().title, 'Giá lúa tăng mạnh', 're-publish');
  await transition(ta, 'editor', a.id, 'unpublish');
  t.equal((await get(`/api/v1/articles/${a.id}`)).statusCode, 404, 'unpublish');
  t.notOk(ids(await get('/api/v1/articles')).includes(a.id));
});

t.test('a scheduled article appears in cached lists at its time, with no job and no request', async (t) => {
  const a = await articleIn(ta, 'approved', { title: 'Đúng giờ' });
  const at = clock.iso(3600_000);
  await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  await get('/api/v1/articles');
  t.equal((await get('/api/v1/articles')).headers['x-cache'], 'hit');
  t.notOk(ids(await get('/api/v1/articles')).includes(a.id));
  clock.advance(Date.parse(at) - clock.now().getTime() - 60_000);
  const before = await get('/api/v1/articles');
  t.equal(before.headers['x-cache'], 'hit', 'a minute before publishAt the cached list still holds');
  t.notOk(ids(before).includes(a.id));
  clock.advance(60_000);
  const after = await get('/api/v1/articles');
  t.equal(after.headers['x-cache'], undefined, 'at publishAt the cached list is stale');
  t.ok(ids(after).includes(a.id), 'visible from publishAt although the scheduler is off');
});

t.test('after a publish on instance A, instance B serves the new list within one second', async (t) => {
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0' });
  const a = await articleIn(ta, 'approved', { title: 'Hai máy chủ' });
  await get('/api/v1/articles', b);
  t.equal((await get('/api/v1/articles', b)).headers['x-cache'], 'hit', 'B has the list cached');
  await transition(ta, 'editor', a.id, 'publish');
  const took = await within(1000, async () => ids(await get('/api/v1/articles', b)).includes(a.id));
  t.not(took, null, `B served the new list after ${took} ms`);
  await transition(ta, 'editor', a.id, 'archive');
  t.not(await within(1000, async () => (await get(`/api/v1/articles/${a.id}`, b)).statusCode === 404), null, 'and drops it after archive');
});

t.test('PUBLIC_CACHE=off serves everything from the database', async (t) => {
  const off = await ta.secondInstance({ PUBLIC_CACHE: 'off', SCHEDULER_INTERVAL_MS: '0' });
  await get('/api/v1/articles', off);
  const res = await get('/api/v1/articles', off);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-cache'], undefined);
  t.ok(res.headers.etag, 'ETag and 304 still work');
});
