// The header set of a JSON API (API.md §1): nosniff, a CSP that runs and frames nothing, HSTS,
// and none of the browser-page headers. The same on a JSON route, a public cached route (miss,
// hit through Fastify, hit before routing), a 404 problem and media; stricter for PDFs.
// CORS: one rule for answers from Fastify (@fastify/cors) and answers replayed without it.
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { jpegWithGps, pdf, upload } from '../helpers/media.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', CORS_ORIGINS: 'https://baodongthap.vn' });
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(ta.app.server.address() as AddressInfo).port}`;

const API_SET = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
};
// What helmet (and browser-page header sets in general) add, none of which a JSON body needs.
const PAGE_HEADERS = [
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'permissions-policy',
];

type Headers = Record<string, string | string[] | number | undefined>;
const fromFetch = (res: Response): Headers => Object.fromEntries(res.headers.entries());

/** Exactly the API set, with its values, and none of the page headers. */
function hasApiSet(t: Test, headers: Headers, what: string, overrides: Record<string, string> = {}) {
  const expected: Record<string, string> = { ...API_SET, ...overrides };
  const known = [...Object.keys(API_SET), ...PAGE_HEADERS];
  const got = Object.fromEntries(known.filter((h) => headers[h] !== undefined).map((h) => [h, String(headers[h])]));
  t.same(got, expected, `${what}: the API header set and nothing else`);
}

t.test('a JSON route', async (t) => {
  hasApiSet(t, (await ta.req('editor', { method: 'GET', url: '/api/v1/articles' })).headers, 'staff list');
  const created = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tiêu đề an toàn' } });
  t.equal(created.statusCode, 201);
  hasApiSet(t, created.headers, 'a 201');
  hasApiSet(t, (await ta.app.inject({ method: 'GET', url: '/health' })).headers, '/health');
});

t.test('a public cached route: the miss and both kinds of hit carry the same set', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Đầu trang' });
  const url = `/api/v1/articles/${a.slug}`;
  const miss = await ta.app.inject({ method: 'GET', url });
  t.equal(miss.headers['x-cache'], undefined);
  hasApiSet(t, miss.headers, 'miss');
  const hit = await ta.app.inject({ method: 'GET', url, headers: { origin: 'https://baodongthap.vn' } });
  t.equal(hit.headers['x-cache'], 'hit');
  hasApiSet(t, hit.headers, 'hit through Fastify');
  const front = await fetch(`${base}${url}`);
  t.equal(front.headers.get('x-cache'), 'hit');
  hasApiSet(t, fromFetch(front), 'hit before routing');
  const notModified = await fetch(`${base}${url}`, { headers: { 'if-none-match': String(miss.headers.etag) } });
  t.equal(notModified.status, 304);
  hasApiSet(t, fromFetch(notModified), '304 from the cache');
  const list = await fetch(`${base}/api/v1/categories`);
  hasApiSet(t, fromFetch(list), 'public list miss');
  const listHit = await fetch(`${base}/api/v1/categories`);
  t.equal(listHit.headers.get('x-cache'), 'hit');
  hasApiSet(t, fromFetch(listHit), 'public list hit');
});

t.test('errors: 404 problems, a 401, a 400', async (t) => {
  const noRoute = await ta.app.inject({ method: 'GET', url: '/api/v1/nothing' });
  t.equal(noRoute.statusCode, 404);
  t.equal(noRoute.headers['content-type'], 'application/problem+json; charset=utf-8');
  hasApiSet(t, noRoute.headers, 'no route');
  const noArticle = await fetch(`${base}/api/v1/articles/khong-co-bai-nay`);
  t.equal(noArticle.status, 404);
  hasApiSet(t, fromFetch(noArticle), 'no such article');
  hasApiSet(t, (await ta.app.inject({ method: 'GET', url: '/api/v1/users' })).headers, '401');
  hasApiSet(t, (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: {} })).headers, '400');
});

t.test('media: images say any site may embed them; PDFs are sandboxed', async (t) => {
  const image = (await upload(ta, 'editor', { filename: 'a.jpg', data: await jpegWithGps(400, 300) })).json();
  const path = new URL(image.url).pathname;
  const first = await fetch(`${base}${path}`);
  t.equal(first.status, 200);
  hasApiSet(t, fromFetch(first), 'image', { 'cross-origin-resource-policy': 'cross-origin' });
  const replayed = await fetch(`${base}${path}`);
  t.equal(replayed.headers.get('x-cache'), 'hit');
  hasApiSet(t, fromFetch(replayed), 'image replayed from memory', { 'cross-origin-resource-policy': 'cross-origin' });
  const rendition = await fetch(`${base}${new URL(image.renditions[0].url).pathname}`);
  t.equal(rendition.status, 200);
  hasApiSet(t, fromFetch(rendition), 'rendition', { 'cross-origin-resource-policy': 'cross-origin' });
  hasApiSet(t, (await ta.req('editor', { method: 'GET', url: `/api/v1/media/${image.id}` })).headers, 'media record (JSON)');

  const doc = (await upload(ta, 'editor', { filename: 'Nghị quyết.pdf', data: pdf(2000) })).json();
  const sandboxed = { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox", 'cross-origin-resource-policy': 'cross-origin' };
  const file = await fetch(`${base}${new URL(doc.url).pathname}`);
  t.equal(file.headers.get('content-type'), 'application/pdf');
  hasApiSet(t, fromFetch(file), 'PDF', sandboxed);
  hasApiSet(t, (await ta.req('editor', { method: 'GET', url: `/api/v1/media/${doc.id}/original` })).headers, 'PDF original (staff)', sandboxed);
});

t.test('the /docs page keeps its own policy', async (t) => {
  const docs = await ta.app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-security-policy'], /script-src 'self'/);
  t.equal(docs.headers['x-content-type-options'], 'nosniff');
});

const CORS_NAMES = ['access-control-allow-origin', 'access-control-expose-headers', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];
const corsOf = (headers: Headers) => Object.fromEntries(CORS_NAMES.filter((h) => headers[h] !== undefined).map((h) => [h, String(headers[h])]));
const EXPOSED = 'X-Total-Count, Content-Range, Link, ETag, Location, X-Request-Id, Retry-After';
const readable = (origin: string) => ({ 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED });

t.test('CORS: the same answer from Fastify, from the cache and from the media replay', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Đọc từ trang khác' });
  const image = (await upload(ta, 'editor', { filename: 'b.jpg', data: await jpegWithGps(300, 200) })).json();
  const urls = [`/api/v1/articles/${a.slug}`, '/api/v1/categories?_sort=id', new URL(image.url).pathname];
  for (const url of urls) {
    for (const round of ['miss', 'hit']) {
      // Each origin its own round trip: the first request of a URL is the miss.
      const allowed = await fetch(`${base}${url}`, { headers: { origin: 'https://baodongthap.vn' } });
      t.equal(allowed.status, 200);
      t.equal(allowed.headers.get('x-cache') ?? 'miss', round, `${url}: ${round}`);
      t.same(corsOf(fromFetch(allowed)), readable('https://baodongthap.vn'), `${url} ${round}: allowed origin, exposed headers, no credentials`);
      t.match(allowed.headers.get('vary'), /\bOrigin\b/, `${url} ${round}: varies by Origin`);
      const other = await fetch(`${base}${url}`, { headers: { origin: 'https://evil.example' } });
      t.equal(other.headers.get('x-cache'), 'hit');
      t.same(corsOf(fromFetch(other)), {}, `${url} ${round}: another origin gets no CORS header`);
      t.same(corsOf(fromFetch(await fetch(`${base}${url}`))), {}, `${url} ${round}: no Origin, no CORS header`);
    }
  }
  const staff = await ta.req('editor', { method: 'GET', url: '/api/v1/articles', headers: { origin: 'https://baodongthap.vn' } });
  t.same(corsOf(staff.headers), readable('https://baodongthap.vn'), 'a list for staff');
  for (const h of ['X-Total-Count', 'Content-Range', 'ETag']) t.ok(staff.headers[h.toLowerCase()], `${h} is sent, and exposed`);
  const problem = await ta.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { origin: 'https://baodongthap.vn' } });
  t.same(corsOf(problem.headers), readable('https://baodongthap.vn'), 'a 404 problem is readable too');
});

t.test('CORS preflight', async (t) => {
  const preflight = (origin: string) =>
    ta.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/articles/1',
      headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match' },
    });
  const ok = await preflight('https://baodongthap.vn');
  t.equal(ok.statusCode, 204);
  t.same(corsOf(ok.headers), {
    ...readable('https://baodongthap.vn'),
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': 'Authorization, Content-Type, Range, If-Match, If-None-Match, X-Request-Id',
    'access-control-max-age': '600',
  });
  const refused = await preflight('https://evil.example');
  t.not(refused.statusCode, 204, 'a preflight from another origin fails');
  t.same(corsOf(refused.headers), {}, 'and allows nothing');
});

t.test('CORS_ORIGINS=*: any origin, Fastify and the cache alike', async (t) => {
  const any = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0', CORS_ORIGINS: '*' });
  for (const round of ['miss', 'hit']) {
    const res = await any.inject({ method: 'GET', url: '/api/v1/categories?_sort=name', headers: { origin: 'https://bat-ky.example' } });
    t.equal(res.headers['x-cache'] ?? 'miss', round);
    t.same(corsOf(res.headers), readable('https://bat-ky.example'), round);
  }
});
