import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

// 30 categories; names chosen so that accent-folded order differs from byte order, and with
// equal positions so ties must be broken by id.
const names = ['Đà Nẵng', 'An Giang', 'Bến Tre', 'Cà Mau', 'Đồng Tháp', 'Ê-đê', 'Gia Lai', 'Hà Nội', 'Zeta', 'Ăn uống'];
const created: Array<{ id: number; name: string; position: number }> = [];
for (let i = 0; i < 30; i++) {
  const name = `${names[i % names.length]} ${Math.floor(i / names.length)}`;
  const res = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name, position: i % 3 } });
  created.push(res.json());
}
const get = (url: string, as: 'editor' | null = null, headers: Record<string, string> = {}) => ta.req(as, { method: 'GET', url, headers });
const ids = (res: { json(): Array<{ id: number }> }) => res.json().map((r) => r.id);

t.test('default page: 25, headers on every list', async (t) => {
  const res = await get('/api/v1/categories');
  t.equal(res.statusCode, 200);
  t.equal(res.json().length, 25);
  t.equal(res.headers['x-total-count'], '30');
  t.equal(res.headers['content-range'], 'categories 0-24/30');
  t.match(res.headers.link, /<\/api\/v1\/categories\?_start=25&_end=50>; rel="next"/);
  t.notMatch(res.headers.link, /rel="prev"/);
});

t.test('json-server dialect: _start/_end, _page/_limit, Link', async (t) => {
  const a = await get('/api/v1/categories?_start=10&_end=20&_sort=position&_order=asc');
  t.equal(a.headers['content-range'], 'categories 10-19/30');
  t.match(a.headers.link, /_start=20&_end=30>; rel="next"/);
  t.match(a.headers.link, /_start=0&_end=10>; rel="prev"/);
  t.match(a.headers.link, /_sort=position/, 'other parameters are kept');
  const byId = await get('/api/v1/categories?_start=10&_end=20&_sort=id&_order=asc');
  t.same(ids(byId), created.slice(10, 20).map((c) => c.id));
  const b = await get('/api/v1/categories?_page=2&_limit=10&_sort=id');
  t.same(ids(b), ids(byId));
  const last = await get('/api/v1/categories?_start=25&_end=50&_sort=id');
  t.equal(last.json().length, 5);
  t.notMatch(last.headers.link ?? '', /rel="next"/);
  const empty = await get('/api/v1/categories?_start=100&_end=125');
  t.same(empty.json(), []);
  t.equal(empty.headers['x-total-count'], '30');
  t.equal(empty.headers['content-range'], 'categories */30');
});

t.test('simple-rest dialect: range, sort, filter', async (t) => {
  const a = await get(`/api/v1/categories?range=${encodeURIComponent('[5,9]')}&sort=${encodeURIComponent('["id","DESC"]')}`);
  t.same(ids(a), created.map((c) => c.id).reverse().slice(5, 10));
  t.equal(a.headers['content-range'], 'categories 5-9/30');
  const f = await get(`/api/v1/categories?filter=${encodeURIComponent(JSON.stringify({ id: [created[0].id, created[3].id] }))}`);
  t.same(ids(f).sort((x, y) => x - y), [created[0].id, created[3].id]);
  t.equal(f.headers['x-total-count'], '2');
  const q = await get(`/api/v1/categories?filter=${encodeURIComponent(JSON.stringify({ q: 'da nang' }))}`);
  t.equal(q.headers['x-total-count'], '3');
  t.ok(q.json().every((c: { name: string }) => c.name.startsWith('Đà Nẵng')));
});

t.test('keyset pages: Link next carries a cursor when the sort allows it', async (t) => {
  const seen: number[] = [];
  let url: string | undefined = '/api/v1/categories?_sort=id&_order=desc&_limit=7';
  let pages = 0;
  while (url) {
    const res = await get(url);
    t.equal(res.statusCode, 200, url);
    seen.push(...ids(res));
    t.equal(res.headers['x-total-count'], '30');
    const first = seen.length - res.json().length;
    t.equal(res.headers['content-range'], `categories ${first}-${seen.length - 1}/30`);
    url = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
    if (url) t.match(url, /_cursor=/);
    pages++;
  }
  t.equal(pages, 5);
  t.same(seen, created.map((c) => c.id).reverse(), 'every row once, in order');
  t.equal((await get('/api/v1/categories?_cursor=garbage')).statusCode, 400);
  const cur = /_cursor=([^&>]+)/.exec(String((await get('/api/v1/categories?_sort=id&_limit=5')).headers.link))![1];
  t.equal((await get(`/api/v1/categories?_sort=name&_cursor=${cur}`)).statusCode, 400, 'a cursor must fit the sort');
});

t.test('a Range header from ra-data-simple-rest is not a byte range', async (t) => {
  const res = await get('/api/v1/categories?range=[0,9]', null, { range: 'categories=0-9', accept: '*/*' });
  t.equal(res.statusCode, 200);
  t.equal(res.json().length, 10);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const weird = await get('/api/v1/categories', null, { accept: 'text/html' });
  t.equal(weird.headers['content-type'], 'application/json; charset=utf-8');
});

t.test('page size is capped at 100', async (t) => {
  for (let i = 0; i < 80; i++) await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: `Thêm ${i}` } });
  const res = await get('/api/v1/categories?_start=0&_end=500');
  t.equal(res.json().length, 100);
  t.equal(res.headers['content-range'], 'categories 0-99/110');
  const r2 = await get(`/api/v1/categories?range=${encodeURIComponent('[0,499]')}`);
  t.equal(r2.json().length, 100);
  const r3 = await get('/api/v1/categories?_page=1&_limit=1000');
  t.equal(r3.json().length, 100);
});

t.test('sorting: accent-folded text, multiple keys, ties by id', async (t) => {
  const res = await get('/api/v1/categories?_sort=name&_order=asc&_end=100&name_like=%20');
  const got = res.json().map((c: { name: string }) => c.name);
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  const sorted = [...got].sort((a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0));
  t.same(got.map(fold), sorted.map(fold), 'Đà Nẵng sorts with the d, not after z');
  t.ok(got.indexOf('Đà Nẵng 0') < got.indexOf('Gia Lai 0'));

  const byPos = await get('/api/v1/categories?_sort=position&_order=desc&_end=100');
  const rows = byPos.json() as Array<{ id: number; position: number }>;
  for (let i = 1; i < rows.length; i++) {
    const [p, c] = [rows[i - 1], rows[i]];
    t.ok(p.position > c.position || (p.position === c.position && p.id > c.id), `row ${i} is ordered, ties by id in the same direction`);
  }
  const multi = await get('/api/v1/categories?_sort=position,id&_order=asc,desc&_end=100');
  const m = multi.json() as Array<{ id: number; position: number }>;
  t.ok(m.every((r, i) => i === 0 || m[i - 1].position < r.position || (m[i - 1].position === r.position && m[i - 1].id > r.id)));
  // The same query twice gives the same pages.
  const p1 = await get('/api/v1/categories?_sort=position&_start=0&_end=50');
  const p2 = await get('/api/v1/categories?_sort=position&_start=50&_end=100');
  const all = await get('/api/v1/categories?_sort=position&_start=0&_end=100');
  t.same([...ids(p1), ...ids(p2)], ids(all), 'pages do not overlap or skip');
});

t.test('unknown, private or malformed list parameters are 400', async (t) => {
  for (const qs of ['passwordHash=x', '_sort=passwordHash', 'nope=1', 'id=abc', '_start=-5', 'range=oops', 'sort=oops', 'filter=oops', `filter=${encodeURIComponent('{"secret":1}')}`, '_order=up&_sort=id', 'position_like=1']) {
    const res = await get(`/api/v1/categories?${qs}`);
    t.equal(res.statusCode, 400, qs);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(res.json().code, 'validation_failed');
    t.ok(Object.keys(res.json().errors).length > 0);
  }
});

t.test('filters: _ne, _gte, _lte, null, q', async (t) => {
  const ne = await get('/api/v1/categories?position_ne=0&_end=100');
  t.ok(ne.json().every((c: { position: number }) => c.position !== 0));
  const range = await get('/api/v1/categories?position_gte=1&position_lte=1&_end=100');
  t.ok(range.json().length > 0 && range.json().every((c: { position: number }) => c.position === 1));
  const roots = await get('/api/v1/categories?parentId=null');
  t.equal(roots.headers['x-total-count'], '110');
  const q1 = await get(`/api/v1/categories?q=${encodeURIComponent('Đồng Tháp')}`);
  const q2 = await get('/api/v1/categories?q=dong%20thap');
  t.same(ids(q1), ids(q2));
  t.equal(q1.headers['x-total-count'], '3');
});
