import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp({ CORS_ORIGINS: 'https://admin.baodongthap.vn', BODY_LIMIT_BYTES: '65536' });
t.teardown(() => ta.close());
const auth = { authorization: `Bearer ${ta.users.editor.token}` };

const raw = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  ta.app.inject({ method: 'POST', url: '/api/v1/categories', payload, headers: { ...auth, 'content-type': 'application/json', ...headers } });

const isProblem = (t: Test, res: { statusCode: number; headers: Record<string, unknown>; json(): { status: number; code: string; message: string; detail: string } }, status: number) => {
  t.equal(res.statusCode, status);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const b = res.json();
  t.equal(b.status, status);
  t.equal(b.message, b.detail);
  t.type(b.code, 'string');
};

t.test('malformed bodies are clear 4xx problems', async (t) => {
  isProblem(t, await raw('{"name": "x",'), 400);
  isProblem(t, await raw(''), 400);
  isProblem(t, await raw(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])), 400);
  t.equal((await raw(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]))).json().code, 'invalid_utf8');
  const deep = `{"name":"x","description":${'['.repeat(100)}${']'.repeat(100)}}`;
  isProblem(t, await raw(deep), 400);
  const veryDeep = '['.repeat(30_000) + ']'.repeat(30_000);
  isProblem(t, await raw(veryDeep), 400);
  isProblem(t, await raw('{"__proto__":{"admin":true},"name":"x"}'), 400);
  isProblem(t, await raw(JSON.stringify({ name: 'x'.repeat(70_000) })), 413);
  isProblem(t, await raw('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  isProblem(t, await raw('name: x', { 'content-type': 'text/plain' }), 415);
  isProblem(t, await raw('<x/>', { 'content-type': 'application/xml' }), 415);
  isProblem(t, await raw('"just a string"'), 400);
  isProblem(t, await raw('[1,2]'), 400);
  isProblem(t, await raw('{"name":5}'), 400);
  const ok = await raw(JSON.stringify({ name: 'Có BOM' }), { 'content-type': 'application/json; charset=utf-8' });
  t.equal(ok.statusCode, 201);
});

t.test('unknown routes and bad ids are problem+json', async (t) => {
  isProblem(t, await ta.app.inject({ method: 'GET', url: '/api/v1/nothing' }), 404);
  isProblem(t, await ta.app.inject({ method: 'GET', url: '/api/v1/users/abc', headers: auth }), 403);
  isProblem(t, await ta.app.inject({ method: 'PATCH', url: '/api/v1/categories/99999999999', headers: auth, payload: {} }), 404);
  isProblem(t, await ta.app.inject({ method: 'GET', url: '/api/v1/categories/%E0%A4%A' }), 400);
});

t.test('CORS: configured origins, exposed headers, preflight', async (t) => {
  const pre = await ta.app.inject({
    method: 'OPTIONS',
    url: '/api/v1/articles',
    headers: { origin: 'https://admin.baodongthap.vn', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match,range' },
  });
  t.equal(pre.statusCode, 204);
  t.equal(pre.headers['access-control-allow-origin'], 'https://admin.baodongthap.vn');
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) t.match(pre.headers['access-control-allow-methods'], m);
  for (const h of ['Authorization', 'Content-Type', 'Range', 'If-Match', 'If-None-Match']) t.match(pre.headers['access-control-allow-headers'], h);
  const get = await ta.app.inject({ method: 'GET', url: '/api/v1/categories', headers: { origin: 'https://admin.baodongthap.vn' } });
  for (const h of ['X-Total-Count', 'Content-Range', 'Link', 'ETag', 'Location']) t.match(get.headers['access-control-expose-headers'], h);
  const other = await ta.app.inject({ method: 'GET', url: '/api/v1/categories', headers: { origin: 'https://evil.example' } });
  t.equal(other.headers['access-control-allow-origin'], undefined);
});

t.test('security headers and request ids', async (t) => {
  const res = await ta.app.inject({ method: 'GET', url: '/api/v1/categories', headers: { 'x-request-id': 'abc-123' } });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.match(res.headers['content-security-policy'], "default-src 'none'");
  t.ok(res.headers['strict-transport-security']);
  t.equal(res.headers['x-request-id'], 'abc-123');
  const gen = await ta.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id with spaces' } });
  t.match(gen.headers['x-request-id'], /^[0-9a-f-]{36}$/);
});

t.test('health, readiness, OpenAPI and docs', async (t) => {
  t.same((await ta.app.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' });
  t.same((await ta.app.inject({ method: 'GET', url: '/ready' })).json(), { status: 'ok' });
  const doc = await ta.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  t.equal(doc.statusCode, 200);
  const spec = doc.json();
  t.equal(spec.openapi, '3.1.0');
  for (const p of ['/api/v1/articles/', '/api/v1/categories/', '/api/v1/users/', '/api/v1/auth/login']) {
    t.ok(Object.keys(spec.paths).some((k) => k.replace(/\/$/, '') === p.replace(/\/$/, '')), `documents ${p}`);
  }
  t.notMatch(JSON.stringify(spec.paths['/api/v1/users/']?.get?.responses ?? {}), /passwordHash/);
  const docs = await ta.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-type'], 'text/html');
});
