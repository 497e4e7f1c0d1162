// Error responses as admin UIs read them (API.md §1): `errors` keyed by the field's path with a
// message for people, at most 20 of them, and never a large body whatever the input.
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { MAX_PROBLEM_BYTES } from '../../src/plugins/errors.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

const create = (payload: unknown) => ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: payload as Record<string, unknown> });

t.test('a body field error is keyed by its path, with a message for people', async (t) => {
  const long = await create({ title: 'x'.repeat(301) });
  t.equal(long.statusCode, 400);
  t.match(long.headers['content-type'], /^application\/problem\+json/);
  t.same(long.json().errors, { title: 'must have at most 300 characters' });
  t.match(long.json().message, /title must have at most 300 characters/);

  const credit = await create({ title: 'Tin', credits: [{ role: 'editor' }] });
  t.same(credit.json().errors, { 'credits.0.name': 'is required' });

  const unknown = await create({ title: 'Tin', subtitle: 'x' });
  t.same(unknown.json().errors, { subtitle: 'is not a known field' });

  const wrongType = await create({ title: 'Tin', categoryId: 'năm' });
  t.same(wrongType.json().errors, { categoryId: 'must be a whole number' });

  const required = await create({ title: null });
  t.same(required.json().errors, { title: 'is required' }, 'a required field sent as null');

  const missing = await create({ summary: 'no title' });
  t.same(missing.json().errors, { title: 'is required' });
});

t.test('query-string errors are keyed query.<name> as the client sent it', async (t) => {
  const sort = await ta.req('editor', { method: 'GET', url: '/api/v1/articles?_sort=passwordHash' });
  t.equal(sort.statusCode, 400);
  t.ok(Object.hasOwn(sort.json().errors, 'query._sort'), JSON.stringify(sort.json().errors));
  const simple = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?sort=${encodeURIComponent('["nope","ASC"]')}` });
  t.ok(Object.hasOwn(simple.json().errors, 'query.sort'), JSON.stringify(simple.json().errors));
});

t.test('business rules on one field use the same shape', async (t) => {
  const a = await create({ title: 'Tin một', slug: 'tin-mot' });
  t.equal(a.statusCode, 201);
  const taken = await create({ title: 'Tin hai', slug: 'tin-mot' });
  t.equal(taken.statusCode, 409);
  t.same(taken.json().errors, { slug: 'is taken' });

  const parent = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Cha' } });
  const child = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Con', parentId: parent.json().id } });
  const cycle = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${parent.json().id}`, payload: { parentId: child.json().id } });
  t.equal(cycle.statusCode, 409);
  t.same(cycle.json().errors, { parentId: 'would make a cycle' });

  const id = a.json().id;
  await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action: 'submit' } });
  const reject = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action: 'reject' } });
  t.equal(reject.statusCode, 400);
  t.same(reject.json().errors, { comment: 'is required' });
});

t.test('a huge body of errors gives a small problem, quickly', async (t) => {
  const keys: Record<string, number> = { email: 0, password: 0 };
  for (let i = 0; i < 95_000; i++) keys[`k${i}`] = 1;
  const login = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: keys });
  t.equal(login.statusCode, 400);
  t.ok(login.body.length <= MAX_PROBLEM_BYTES, `${login.body.length} bytes`);
  t.ok(Object.keys(login.json().errors ?? {}).length <= 20);

  const tags = new Array(480_000).fill(7);
  const started = Date.now();
  const res = await create({ title: 'Tin', tags });
  t.equal(res.statusCode, 400);
  t.ok(res.body.length <= MAX_PROBLEM_BYTES, `${res.body.length} bytes`);
  t.ok(Object.keys(res.json().errors).length <= 20);
  t.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);

  const longKey = await create({ title: 'Tin', ['k'.repeat(100_000)]: 1 });
  t.equal(longKey.statusCode, 400);
  t.ok(longKey.body.length <= MAX_PROBLEM_BYTES, `${longKey.body.length} bytes`);
});

t.test('field names inherited by objects are plain keys in errors', async (t) => {
  const res = await ta.req('editor', { method: 'POST', url: '/api/v1/articles', headers: { 'content-type': 'application/json' }, payload: '{"title":"Tin","toString":1}' });
  t.equal(res.statusCode, 400);
  t.same(res.json().errors, { toString: 'is not a known field' });
});

t.test('a path that names nothing is 404 whatever its form', async (t) => {
  const cases: Array<[string, string, unknown?]> = [
    ['DELETE', '/api/v1/articles/khong-ton-tai'],
    ['POST', '/api/v1/articles/abc/transitions', { action: 'submit' }],
    ['GET', '/api/v1/articles/12/revisions/abc'],
    ['GET', '/api/v1/articles/9999999999/history'],
    ['PATCH', '/api/v1/categories/1.5', { name: 'x' }],
    ['GET', '/api/v1/users/-1'],
    ['GET', `/api/v1/media/${'9'.repeat(4096)}`],
  ];
  for (const [method, url, payload] of cases) {
    const res = await ta.req('admin', { method: method as 'GET', url, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    t.equal(res.statusCode, 404, `${method} ${url.slice(0, 60)}`);
    t.equal(res.json().code, 'not_found');
  }
  // Anonymous reads too: a NUL (which no PostgreSQL text holds) and a month with no year 0.
  for (const url of ['/api/v1/categories/x%00y', '/api/v1/collections/%00', '/api/v1/articles/x%00y/related', '/api/v1/articles/x%00y', '/api/v1/sitemaps/articles-0000-01.xml']) {
    const res = await ta.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 404, `GET ${url}: ${res.body.slice(0, 120)}`);
  }
  const unknownToken = await ta.app.inject({ method: 'GET', url: '/api/v1/preview/tsp_unknown' });
  const longToken = await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${'a'.repeat(4096)}` });
  t.equal(longToken.statusCode, 404);
  t.same(longToken.json(), unknownToken.json(), 'a malformed token gets the same body as an unknown one');
});
