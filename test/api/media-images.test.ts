// Images on demand (API.md §7) on the local disk: formats by Accept, the flood rules (unsigned
// sizes, signatures), one render per derivative, the render queue, deletion with the media, and
// PDFs, which are never transformed and never shown inline.
import sharp from 'sharp';
import t, { type Test } from 'tap';
import { signImageUrl } from '../../src/lib/image-signing.js';
import { createTestApp } from '../helpers/app.js';
import { filesIn } from '../helpers/media-dir.js';
import { animatedGif, fetchUrl, jpegWithGps, pdf, upload } from '../helpers/media.js';

const KEY = 'test-signing-key-0123456789abcdef';
const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn', IMAGE_SIGNING_KEY: KEY });
t.teardown(() => ta.close());
const dir = ta.config.mediaDir;
const { storage } = ta.app.ctx;

const uploaded = async (filename: string, data: Buffer) => {
  const res = await upload(ta, 'editor', { filename, data });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { id: number; url: string; width: number; height: number; renditions: Array<{ url: string }> };
};
const pathOf = (url: string) => url.replace(ta.config.publicUrl, '');
const get = (url: string, headers: Record<string, string> = {}) => fetchUrl(ta, url, headers);

/** Counts the files storage writes (one per render) until the test ends. */
function countWrites(t: Test) {
  const writes = { count: 0 };
  const putTemp = storage.putTemp;
  storage.putTemp = (body) => {
    writes.count++;
    return putTemp(body);
  };
  t.teardown(() => {
    storage.putTemp = putTemp;
  });
  return writes;
}

// Portrait once its EXIF orientation is applied: 900 × 1600.
const photo = await uploaded('ảnh.jpg', await jpegWithGps(1600, 900));

t.test('fm=auto: AVIF, then WebP, then JPEG, by Accept, with Vary: Accept', async (t) => {
  const cases: Array<[string | undefined, string, string]> = [
    ['image/avif,image/webp,image/apng,image/*,*/*;q=0.8', 'image/avif', 'heif'],
    ['image/webp,*/*', 'image/webp', 'webp'],
    ['image/avif;q=0,image/webp', 'image/webp', 'webp'],
    ['image/*,*/*;q=0.8', 'image/jpeg', 'jpeg'],
    [undefined, 'image/jpeg', 'jpeg'],
  ];
  for (const [accept, type, format] of cases) {
    const res = await get(`${photo.url}?w=320&fm=auto`, accept ? { accept } : {});
    t.equal(res.statusCode, 200, String(accept));
    t.equal(res.headers['content-type'], type, String(accept));
    t.match(res.headers.vary, /Accept/, 'caches keep one copy per Accept');
    const meta = await sharp(res.rawPayload).metadata();
    t.equal(meta.format, format);
    t.same([meta.width, meta.height], [320, 569], 'orientation applied');
    t.equal(meta.exif, undefined, 'no EXIF, no GPS');
  }
  const png = await get(`${photo.url}?w=320&fm=png`, { accept: 'image/avif' });
  t.equal(png.headers['content-type'], 'image/png', 'an explicit fm wins over Accept');
  t.notMatch(String(png.headers.vary ?? ''), /Accept/);
  t.equal((await get(`${photo.url}?w=320`)).headers['content-type'], 'image/jpeg', 'no fm: the image’s own format');
});

t.test('a derived image is immutable, with ETag, 304 and Range', async (t) => {
  const url = `${photo.url}?w=480&h=270&fit=cover&fm=webp&fp-x=0.5&fp-y=0.5`;
  const res = await get(url);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.same([(await sharp(res.rawPayload).metadata()).width, (await sharp(res.rawPayload).metadata()).height], [480, 270]);
  const etag = String(res.headers.etag);
  t.match(etag, /^"[^"]+"$/);
  t.equal((await get(url, { 'if-none-match': etag })).statusCode, 304);
  const part = await get(url, { range: 'bytes=0-9' });
  t.equal(part.statusCode, 206);
  t.same(part.rawPayload, res.rawPayload.subarray(0, 10));
  const head = await ta.app.inject({ method: 'HEAD', url: pathOf(url) });
  t.equal(head.statusCode, 200);
  t.equal(Number(head.headers['content-length']), res.rawPayload.length);
  const spelledOtherwise = await get(`${photo.url}?fp-y=0.5&fm=webp&fit=cover&h=270&w=480&fp-x=0.5`);
  t.same(spelledOtherwise.rawPayload, res.rawPayload, 'the same derivative whatever the parameter order');
  const following = await get(`${photo.url}?w=480&h=270&fit=cover&fm=webp`);
  t.same(following.rawPayload, res.rawPayload, 'without fp-x/fp-y: the current focal point');
  t.equal(following.headers['cache-control'], 'public, max-age=3600', 'not immutable: it follows the focal point');
});

t.test('never upscaled', async (t) => {
  const big = await get(`${photo.url}?w=1920`);
  t.same([(await sharp(big.rawPayload).metadata()).width, (await sharp(big.rawPayload).metadata()).height], [900, 1600]);
  const cover = await get(`${photo.url}?w=1920&h=1080&fit=cover`);
  const m = await sharp(cover.rawPayload).metadata();
  t.same([m.width, m.height], [900, 506], 'the 16:9 box at the image’s own scale');
  const contain = await get(`${photo.url}?w=640&h=360&fit=contain&fm=png`);
  const c = await sharp(contain.rawPayload).metadata();
  t.same([c.width, c.height], [640, 360], 'contain pads to the box');
});

t.test('unsigned URLs: only the configured widths and named aspects; anything else is 400', async (t) => {
  for (const ok of ['w=640', 'w=640&h=360', 'w=640&h=480&fit=cover', 'w=320&h=427&fit=contain', 'w=160&h=90&q=75&fm=webp', 'w=1920&h=1080']) {
    t.equal((await get(`${photo.url}?${ok}`)).statusCode, 200, ok);
  }
  const bad = [
    'w=500', 'w=640&h=361', 'h=360', 'w=640&q=72', 'w=640&x=1', 'w=640&w=320', 'w=', 'w=640&h=', 'w=640&', '&w=640', 'w',
    'w=0640', 'w=640.0', 'w=-640', 'w=99999', 'w=640&fit=fill', 'w=640&fm=gif', 'w=640&fm=JPEG', 'w=640&q=0', 'w=640&q=101',
    'w=%36%34%30', 'w=640&fm=web%70', '__proto__=1', 'constructor=1', 'w=640&toString=1', 'w=640&fp-x=0.5', 'w=640&fp-x=0.5&fp-y=0.5',
    'w=640&h=360&fit=cover&fp-x=2&fp-y=0.5', 'w=640&h=360&fit=cover&fp-x=0.12345&fp-y=0.5', `w=640&${'a'.repeat(600)}=1`,
  ];
  for (const q of bad) {
    const res = await get(`${photo.url}?${q}`);
    t.equal(res.statusCode, 400, q);
    t.equal(res.json().code, 'validation_failed', q);
  }
  t.equal((await get(`${photo.url}?w=640&h=361`)).json().errors !== undefined, true, 'the refused parameter is named');
});

t.test('signed URLs: any size; a tampered or foreign signature is 403', async (t) => {
  const path = pathOf(photo.url);
  const signed = signImageUrl(path, { w: 500, h: 300, fit: 'cover', fm: 'webp' }, KEY);
  const res = await ta.app.inject({ method: 'GET', url: signed });
  t.equal(res.statusCode, 200, res.body);
  const m = await sharp(res.rawPayload).metadata();
  t.same([m.width, m.height, m.format], [500, 300, 'webp']);
  const s = signed.split('s=')[1];
  const reordered = `${path}?w=500&fm=webp&s=${s}&h=300&fit=cover`;
  t.equal((await ta.app.inject({ method: 'GET', url: reordered })).statusCode, 200, 'parameters in any order');

  const refused: Array<[string, string]> = [
    [signed.replace('w=500', 'w=501'), 'another width'],
    [`${signed.replace(/&s=.*/, '')}&q=90&s=${s}`, 'one more parameter'],
    [signed.replace(/s=[0-9a-f]{64}/, `s=${s.toUpperCase()}`), 'upper-case hex'],
    [signed.replace(/s=[0-9a-f]{64}/, `s=${s.slice(0, 63)}`), 'too short'],
    [signImageUrl(path, { w: 500, h: 300, fit: 'cover', fm: 'webp' }, `${KEY}-other`), 'another key'],
    [signImageUrl(`/media/${'f'.repeat(32)}.jpg`, { w: 500, h: 300 }, KEY).replace(/^\/media\/f{32}\.jpg/, path), 'the signature of another file'],
  ];
  for (const [url, why] of refused) {
    const r = await ta.app.inject({ method: 'GET', url });
    t.equal(r.statusCode, 403, why);
    t.equal(r.json().code, 'invalid_signature', why);
  }
  const unsignedOdd = await get(`${photo.url}?w=500&h=300&fit=cover&fm=webp`);
  t.equal(unsignedOdd.statusCode, 400, 'the same size unsigned');

  const noKey = await ta.secondInstance({ IMAGE_SIGNING_KEY: '' });
  const disabled = await noKey.inject({ method: 'GET', url: signed });
  t.equal(disabled.statusCode, 403, 'a server without IMAGE_SIGNING_KEY refuses signed URLs');
  t.equal(disabled.json().code, 'signed_urls_disabled');
  t.match(disabled.json().detail, /IMAGE_SIGNING_KEY/);
});

t.test('50 concurrent first requests for one derivative make one render', async (t) => {
  const writes = countWrites(t);
  const url = pathOf(`${photo.url}?w=768&fm=webp&q=70`);
  const responses = await Promise.all(Array.from({ length: 50 }, () => ta.app.inject({ method: 'GET', url })));
  t.same([...new Set(responses.map((r) => r.statusCode))], [200]);
  t.equal(writes.count, 1, 'one render, one file');
  t.equal(new Set(responses.map((r) => r.headers.etag)).size, 1);
  t.equal(new Set(responses.map((r) => r.rawPayload.toString('base64'))).size, 1, 'the same bytes for all');
  await ta.app.inject({ method: 'GET', url });
  t.equal(writes.count, 1, 'later requests are served from storage');
});

t.test('past the render queue, 503 with Retry-After', async (t) => {
  const busy = await ta.secondInstance({ IMAGE_RENDER_CONCURRENCY: '1', IMAGE_RENDER_QUEUE: '0' });
  // A PNG: no shrink-on-load, so each render decodes every pixel and takes a while.
  const big = await uploaded('lon.png', await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#336699' } }).png().toBuffer());
  const urls = [160, 320, 480, 640, 768, 1024, 1280, 1600].map((w) => pathOf(`${big.url}?w=${w}&fm=webp`));
  const responses = await Promise.all(urls.map((url) => busy.inject({ method: 'GET', url })));
  const statuses = responses.map((r) => r.statusCode);
  t.ok(statuses.includes(503), `some are turned away (${statuses.join(', ')})`);
  t.ok(statuses.includes(200), 'the render under way completes');
  t.same(statuses.filter((s) => s !== 200 && s !== 503), []);
  const refused = responses.find((r) => r.statusCode === 503)!;
  t.equal(refused.headers['retry-after'], '2');
  t.equal(refused.json().code, 'busy');
  for (const url of urls) t.equal((await busy.inject({ method: 'GET', url })).statusCode, 200, `${url} later`);
});

t.test('animated GIFs stay animated, or become animated WebP', async (t) => {
  const gif = await uploaded('dong.gif', await animatedGif(800, 300, 3));
  const frames = async (url: string, headers: Record<string, string> = {}) => {
    const res = await get(url, headers);
    t.equal(res.statusCode, 200, url);
    const m = await sharp(res.rawPayload, { animated: true }).metadata();
    return { format: m.format, pages: m.pages ?? 1, width: m.width, height: m.pageHeight ?? m.height };
  };
  t.same(await frames(`${gif.url}?w=320`), { format: 'gif', pages: 3, width: 320, height: 120 });
  t.same(await frames(`${gif.url}?w=320&fm=webp`), { format: 'webp', pages: 3, width: 320, height: 120 });
  t.same(await frames(`${gif.url}?w=320&fm=auto`, { accept: 'image/avif,image/webp,*/*' }), { format: 'webp', pages: 3, width: 320, height: 120 }, 'never AVIF, which would keep one frame');
  t.same(await frames(`${gif.url}?w=320&fm=auto`), { format: 'gif', pages: 3, width: 320, height: 120 });
  t.same(await frames(`${gif.url}?w=320&h=320&fit=cover&fm=webp`), { format: 'webp', pages: 3, width: 300, height: 300 }, 'cropped frame by frame, never upscaled');
  t.same(await frames(`${gif.url}?w=320&fm=jpeg`), { format: 'jpeg', pages: 1, width: 320, height: 120 }, 'a still format gets the first frame');
});

t.test('PDFs: no transforms; served as attachments under a CSP sandbox', async (t) => {
  const doc = await uploaded('Nghị quyết.pdf', pdf(2000));
  const res = await get(doc.url);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/pdf');
  t.equal(res.headers['content-disposition'], 'attachment');
  t.match(res.headers['content-security-policy'], /(^|; )sandbox($|;)/);
  t.match(res.headers['content-security-policy'], /default-src 'none'/);
  const original = await ta.req('editor', { method: 'GET', url: `/api/v1/media/${doc.id}/original` });
  t.match(original.headers['content-disposition'], /^attachment; filename="Nghi quyet.pdf"/, 'the staff download too');
  t.match(original.headers['content-security-policy'], /sandbox/);
  for (const q of ['w=320', 'w=320&fm=webp', signImageUrl('/x', { w: 300 }, KEY).split('?')[1]]) {
    const r = await get(`${doc.url}?${q}`);
    t.ok(r.statusCode === 400 || r.statusCode === 403, `${q}: ${r.statusCode}`);
  }
  const r = await get(`${doc.url}?w=320`);
  t.equal(r.statusCode, 400);
  t.match(r.json().detail, /document/);
  const image = await get(photo.url);
  t.equal(image.headers['content-disposition'], undefined, 'images stay inline');
});

t.test('other names: renditions take no parameters, unknown files are 404', async (t) => {
  t.equal((await get(`${photo.renditions[0].url}?w=160`)).statusCode, 400);
  t.equal((await get(`${ta.config.publicUrl}/media/${'0'.repeat(32)}.jpg?w=320`)).statusCode, 404);
  t.equal((await get(`${ta.config.publicUrl}/media/${'0'.repeat(32)}.jpg?w=321`)).statusCode, 400, 'the rules before the lookup');
  t.equal((await get(`${ta.config.publicUrl}/media/derived%2Fx.jpg?w=320`)).statusCode, 404);
});

t.test('deleting the media deletes its derived images', async (t) => {
  const m = await uploaded('xoa.jpg', await jpegWithGps(800, 600));
  const fileId = m.url.split('/media/')[1].slice(0, 32);
  const derivedUrl = `${m.url}?w=320&fm=webp`;
  t.equal((await get(derivedUrl)).statusCode, 200);
  t.equal((await get(`${m.url}?w=160&h=90&fit=cover`)).statusCode, 200);
  const derived = () => filesIn(dir).filter((f) => f.startsWith(`derived/${fileId}/`));
  t.equal(derived().length, 2);
  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${m.id}` })).statusCode, 200);
  t.same(derived(), []);
  t.same(filesIn(dir).filter((f) => f.includes(fileId)), [], 'no file of it is left');
  t.equal((await get(derivedUrl)).statusCode, 404);
});
