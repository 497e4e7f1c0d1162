// Media files answered from memory before Fastify (media-files.front.ts), over a real socket:
// only immutable answers, per Accept, with per-request CORS, never after the media is deleted.
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ CORS_ORIGINS: 'https://baodongthap.vn' });
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(ta.app.server.address() as AddressInfo).port}`;

const m = (await upload(ta, 'editor', { filename: 'a.jpg', data: await jpegWithGps(800, 600) })).json();
const path = new URL(m.url).pathname;
const get = async (url: string, headers: Record<string, string> = {}, method = 'GET') => {
  const res = await fetch(`${base}${url}`, { headers, method });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};

t.test('an immutable answer is replayed from memory, byte for byte, with fresh per-request headers', async (t) => {
  const url = `${path}?w=320&fm=webp`;
  const first = await get(url);
  t.equal(first.status, 200);
  t.equal(first.headers.get('x-cache'), null, 'the first answer comes from Fastify');
  const second = await get(url);
  t.equal(second.headers.get('x-cache'), 'hit');
  t.same(second.body, first.body);
  for (const name of ['content-type', 'etag', 'cache-control', 'x-content-type-options', 'content-security-policy', 'content-length']) {
    t.equal(second.headers.get(name), first.headers.get(name), name);
  }
  t.not(second.headers.get('x-request-id'), first.headers.get('x-request-id'));
  const cors = await get(url, { origin: 'https://baodongthap.vn' });
  t.equal(cors.headers.get('x-cache'), 'hit');
  t.equal(cors.headers.get('access-control-allow-origin'), 'https://baodongthap.vn');
  t.equal((await get(url, { origin: 'https://evil.example' })).headers.get('access-control-allow-origin'), null);
  const notModified = await get(url, { 'if-none-match': String(first.headers.get('etag')) });
  t.equal(notModified.status, 304);
  t.equal(notModified.headers.get('x-cache'), 'hit');
  const head = await get(url, {}, 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.body.length, 0);
  t.equal(head.headers.get('content-length'), String(first.body.length));
  const range = await get(url, { range: 'bytes=0-3' });
  t.equal(range.status, 206, 'ranges go through Fastify');
  t.equal(range.headers.get('x-cache'), null);
  t.same(range.body, first.body.subarray(0, 4));
  await get(path);
  t.equal((await get(path)).headers.get('x-cache'), 'hit', 'the image’s own file too');
});

t.test('fm=auto answers are kept per Accept header', async (t) => {
  const url = `${path}?w=160&fm=auto`;
  await get(url, { accept: 'image/avif,image/webp' });
  await get(url, { accept: 'image/webp' });
  const avif = await get(url, { accept: 'image/avif,image/webp' });
  const webp = await get(url, { accept: 'image/webp' });
  const jpeg = await get(url, { accept: '*/*' });
  t.same([avif.headers.get('content-type'), avif.headers.get('x-cache')], ['image/avif', 'hit']);
  t.same([webp.headers.get('content-type'), webp.headers.get('x-cache')], ['image/webp', 'hit']);
  t.same([jpeg.headers.get('content-type'), jpeg.headers.get('x-cache')], ['image/jpeg', null]);
  for (const res of [avif, webp, jpeg]) t.match(res.headers.get('vary'), /^(?=.*\bOrigin\b)(?=.*\bAccept\b)/i, 'varies by Origin (CORS) and Accept');
});

t.test('answers that may change are never replayed', async (t) => {
  const followsFocalPoint = `${path}?w=160&h=90&fit=cover`;
  await get(followsFocalPoint);
  const again = await get(followsFocalPoint);
  t.equal(again.status, 200);
  t.equal(again.headers.get('x-cache'), null);
  t.equal((await get(`${path}?w=161`)).status, 400);
  t.equal((await get(`${path}?w=161`)).headers.get('x-cache'), null);
});

t.test('nothing is replayed once the media is deleted', async (t) => {
  const url = `${path}?w=480&fm=webp`;
  await get(url);
  t.equal((await get(url)).headers.get('x-cache'), 'hit');
  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${m.id}` })).statusCode, 200);
  for (const u of [url, path, `${path}?w=320&fm=webp`]) {
    const res = await get(u);
    t.equal(res.status, 404, u);
    t.equal(res.headers.get('x-cache'), null);
  }
});
