// Uploading and serving: type from the bytes, limits, renditions, EXIF stripping, safe serving.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';
import { filesIn } from '../helpers/media-dir.js';
import { animatedGif, avif, fetchUrl, hasGps, hugePngHeader, jpegWithGps, multipart, pdf, png, upload, webp } from '../helpers/media.js';

const LIMIT = 300_000;
const ta = await createTestApp({ MEDIA_MAX_BYTES: String(LIMIT), PUBLIC_URL: 'https://cms.baodongthap.vn' });
t.teardown(() => ta.close());
const dir = ta.config.mediaDir;
const staff = { authorization: `Bearer ${ta.users.editor.token}` };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function isProblem(t: Test, res: { statusCode: number; headers: Record<string, unknown>; json(): { code: string } }, status: number, code: string) {
  t.equal(res.statusCode, status);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.json().code, code);
}

/** Every stored file belongs to a record: nothing temporary, nothing orphaned. */
async function assertNoStrayFiles(t: Test) {
  const rows = (await ta.req('editor', { method: 'GET', url: '/api/v1/media?_end=100' })).json();
  const expected = new Set<string>();
  for (const m of rows) {
    for (const u of [m.url, ...m.renditions.map((r: { url: string }) => r.url)]) expected.add(u.split('/media/')[1]);
  }
  const onDisk = filesIn(dir);
  t.same(onDisk.filter((f) => f.startsWith('.tmp/')), [], 'no temporary file left');
  t.same(onDisk.filter((f) => !f.startsWith('originals/')), [...expected].sort(), 'public files are exactly those of the records');
  t.equal(onDisk.filter((f) => f.startsWith('originals/')).length, rows.filter((m: { mimeType: string }) => m.mimeType !== 'application/pdf').length);
}

t.test('a JPEG with GPS and an orientation tag', async (t) => {
  const jpg = await jpegWithGps(1600, 900);
  t.ok(hasGps((await sharp(jpg).metadata()).exif), 'the test file does carry GPS');
  const res = await upload(ta, 'author', { filename: 'hiện trường.jpg', data: jpg }, { alt: 'Hiện trường', caption: 'Ảnh: Chí Dũng', credit: 'Chí Dũng' });
  t.equal(res.statusCode, 201, res.body);
  const m = res.json();
  t.match(m, {
    filename: 'hiện trường.jpg', mimeType: 'image/jpeg', size: jpg.length, sha256: sha(jpg), width: 900, height: 1600,
    alt: 'Hiện trường', caption: 'Ảnh: Chí Dũng', credit: 'Chí Dũng', focalPoint: { x: 0.5, y: 0.5 }, uploadedBy: ta.users.author.id, version: 1,
  });
  t.equal(res.headers.location, `/api/v1/media/${m.id}`);
  t.match(m.url, /^https:\/\/cms\.baodongthap\.vn\/media\/[0-9a-f]{32}\.jpg$/, 'a generated name under PUBLIC_URL');
  t.equal(m.originalUrl, `https://cms.baodongthap.vn/api/v1/media/${m.id}/original`);
  t.same(m.renditions.map((r: { width: number; height: number; format: string }) => [r.width, r.height, r.format]), [
    [320, 569, 'webp'], [640, 1138, 'webp'], [900, 1600, 'webp'],
  ], 'never wider than the image');

  const pub = await fetchUrl(ta, m.url);
  t.equal(pub.statusCode, 200);
  t.equal(pub.headers['content-type'], 'image/jpeg');
  t.equal(pub.headers['x-content-type-options'], 'nosniff');
  t.equal(pub.headers['cache-control'], 'public, max-age=31536000, immutable');
  const pubMeta = await sharp(pub.rawPayload).metadata();
  t.equal(pubMeta.exif, undefined, 'no EXIF (so no GPS) in the public image');
  t.equal(pubMeta.orientation, undefined);
  t.same([pubMeta.width, pubMeta.height], [900, 1600], 'turned upright');

  for (const r of m.renditions) {
    const file = await fetchUrl(ta, r.url);
    t.equal(file.headers['content-type'], 'image/webp');
    const meta = await sharp(file.rawPayload).metadata();
    t.same([meta.format, meta.width, meta.height, meta.exif], ['webp', r.width, r.height, undefined]);
  }

  t.equal((await fetchUrl(ta, m.originalUrl)).statusCode, 401, 'the original is for staff only');
  const orig = await fetchUrl(ta, m.originalUrl, staff);
  t.equal(orig.statusCode, 200);
  t.equal(orig.headers['content-type'], 'image/jpeg');
  t.equal(orig.headers['cache-control'], 'private, no-store');
  t.equal(sha(orig.rawPayload), sha(jpg), 'byte for byte as uploaded');
  const origMeta = await sharp(orig.rawPayload).metadata();
  t.ok(hasGps(origMeta.exif), 'GPS kept in the original');
  t.equal(origMeta.orientation, 6);
});

t.test('the type comes from the bytes, not the name or the header', async (t) => {
  const res = await upload(ta, 'author', { filename: 'photo.jpg', data: await png(500, 250), contentType: 'image/jpeg' });
  t.equal(res.statusCode, 201);
  t.equal(res.json().mimeType, 'image/png');
  t.match(res.json().url, /\.png$/);
  t.equal((await fetchUrl(ta, res.json().url)).headers['content-type'], 'image/png');
  t.same(res.json().renditions.map((r: { width: number }) => r.width), [320, 500]);

  const small = await upload(ta, 'author', { filename: 'nho.webp', data: await webp(200, 100) });
  t.match(small.json(), { mimeType: 'image/webp', width: 200, height: 100 });
  t.same(small.json().renditions.map((r: { width: number; height: number }) => [r.width, r.height]), [[200, 100]], 'a small image is not upscaled');

  const gif = await upload(ta, 'author', { filename: 'dong.gif', data: await animatedGif(800, 300, 3) });
  t.match(gif.json(), { mimeType: 'image/gif', width: 800, height: 300 }, 'one frame\'s height');
  t.same(gif.json().renditions.map((r: { width: number; height: number }) => [r.width, r.height]), [[320, 120], [640, 240], [800, 300]]);
  const anim = await sharp((await fetchUrl(ta, gif.json().renditions[0].url)).rawPayload, { animated: true }).metadata();
  t.same([anim.format, anim.pages], ['webp', 3], 'renditions stay animated');
  const av = await upload(ta, 'author', { filename: 'anh.avif', data: await avif(400, 300) });
  t.match(av.json(), { mimeType: 'image/avif', width: 400, height: 300 });
  t.equal((await fetchUrl(ta, av.json().url)).headers['content-type'], 'image/avif');

  const doc = pdf(20_000);
  const p = await upload(ta, 'author', { filename: 'Báo cáo.pdf', data: doc, contentType: 'image/png' });
  t.match(p.json(), { mimeType: 'application/pdf', width: null, height: null, renditions: [], size: doc.length });
  const served = await fetchUrl(ta, p.json().url);
  t.equal(served.headers['content-type'], 'application/pdf');
  t.equal(sha(served.rawPayload), sha(doc), 'documents are served as uploaded');
});

t.test('refused types: 415, and nothing stored', async (t) => {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>');
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  const cases: Array<[string, Buffer, string]> = [
    ['logo.svg', svg, 'image/svg+xml'],
    ['logo.png', svg, 'image/png'],
    ['page.html', html, 'text/html'],
    ['page.jpg', html, 'image/jpeg'],
    ['notes.txt', Buffer.from('chỉ là chữ'), 'text/plain'],
    ['archive.zip', Buffer.from('504b0304140000000800', 'hex'), 'application/zip'],
    ['clip.mp4', Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), Buffer.alloc(64)]), 'video/mp4'],
  ];
  for (const [filename, data, contentType] of cases) {
    const res = await upload(ta, 'author', { filename, data, contentType });
    isProblem(t, res, 415, 'unsupported_media_type');
  }
  const fake = await upload(ta, 'author', { filename: 'broken.png', data: Buffer.concat([(await png()).subarray(0, 40), Buffer.alloc(200)]) });
  isProblem(t, fake, 422, 'invalid_image');
  const bomb = await upload(ta, 'author', { filename: 'bomb.png', data: hugePngHeader(20_000, 20_000) });
  isProblem(t, bomb, 413, 'payload_too_large');
  t.match(bomb.json().message, /megapixels/);
  await assertNoStrayFiles(t);
});

t.test('size limit and malformed uploads', async (t) => {
  isProblem(t, await upload(ta, 'author', { filename: 'big.pdf', data: pdf(LIMIT + 1000) }), 413, 'payload_too_large');
  // Too large is known from Content-Length before the bytes say the type is refused (415).
  const bigJunk = await upload(ta, 'author', { filename: 'big.bin', data: Buffer.alloc(LIMIT + 200_000, 0x41) });
  isProblem(t, bigJunk, 413, 'payload_too_large');
  t.equal(bigJunk.headers.connection, 'close', 'the rest of the body is not read');
  const exact = pdf(LIMIT - 100);
  const atLimit = await upload(ta, 'author', { filename: 'exact.pdf', data: Buffer.concat([exact, Buffer.alloc(LIMIT - exact.length, 0x20)]) });
  t.equal(atLimit.statusCode, 201, 'exactly the limit is fine');
  t.equal(atLimit.json().size, LIMIT);

  isProblem(t, await upload(ta, 'author', { filename: 'empty.jpg', data: Buffer.alloc(0) }), 400, 'validation_failed');
  const noFile = multipart([{ name: 'alt', value: 'không có tệp' }]);
  isProblem(t, await ta.req('author', { method: 'POST', url: '/api/v1/media', ...noFile }), 400, 'validation_failed');
  const wrongName = multipart([{ name: 'image', filename: 'a.png', data: await png() }]);
  isProblem(t, await ta.req('author', { method: 'POST', url: '/api/v1/media', ...wrongName }), 400, 'validation_failed');
  const unknown = multipart([{ name: 'title', value: 'x' }, { name: 'file', filename: 'a.png', data: await png() }]);
  isProblem(t, await ta.req('author', { method: 'POST', url: '/api/v1/media', ...unknown }), 400, 'validation_failed');
  const fieldAfter = multipart([{ name: 'file', filename: 'a.png', data: await png() }, { name: 'colour', value: 'x' }]);
  isProblem(t, await ta.req('author', { method: 'POST', url: '/api/v1/media', ...fieldAfter }), 400, 'validation_failed');
  const two = multipart([{ name: 'file', filename: 'a.png', data: await png() }, { name: 'file', filename: 'b.png', data: await png() }]);
  isProblem(t, await ta.req('author', { method: 'POST', url: '/api/v1/media', ...two }), 400, 'validation_failed');
  const longAlt = await upload(ta, 'author', { filename: 'a.png', data: await png() }, { alt: 'ả'.repeat(1001) });
  isProblem(t, longAlt, 400, 'validation_failed');
  const json = await ta.req('author', { method: 'POST', url: '/api/v1/media', payload: { url: 'https://example.org/a.png' } });
  isProblem(t, json, 415, 'unsupported_media_type');
  t.equal((await upload(ta, null, { filename: 'a.png', data: await png() })).statusCode, 401, 'anonymous cannot upload');
  const elsewhere = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', ...multipart([{ name: 'name', value: 'x' }]) });
  isProblem(t, elsewhere, 415, 'unsupported_media_type');
  await assertNoStrayFiles(t);
});

t.test('a storage failure while committing rolls everything back', async (t) => {
  const storage = ta.app.ctx.storage;
  const commit = storage.commit;
  let calls = 0;
  // The second file (the public image) fails after the original was already committed.
  storage.commit = async (...args) => {
    if (++calls === 2) throw new Error('disk full');
    return commit.apply(storage, args);
  };
  t.teardown(() => {
    storage.commit = commit;
  });
  const before = (await ta.req('editor', { method: 'GET', url: '/api/v1/media' })).headers['x-total-count'];
  const res = await upload(ta, 'author', { filename: 'a.jpg', data: await jpegWithGps(800, 600) });
  t.equal(res.statusCode, 500);
  storage.commit = commit;
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/media' })).headers['x-total-count'], before, 'no row');
  await assertNoStrayFiles(t);
});

t.test('serving: ranges, validators, HEAD', async (t) => {
  const doc = pdf(5000);
  const m = (await upload(ta, 'author', { filename: 'tai-lieu.pdf', data: doc })).json();
  const part = await fetchUrl(ta, m.url, { range: 'bytes=0-99' });
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], `bytes 0-99/${doc.length}`);
  t.equal(part.headers['content-length'], '100');
  t.same(part.rawPayload, doc.subarray(0, 100));
  const tail = await fetchUrl(ta, m.url, { range: 'bytes=-10' });
  t.same(tail.rawPayload, doc.subarray(doc.length - 10));
  const beyond = await fetchUrl(ta, m.url, { range: `bytes=${doc.length}-` });
  t.equal(beyond.statusCode, 416);
  t.equal(beyond.headers['content-range'], `bytes */${doc.length}`);
  t.equal((await fetchUrl(ta, m.url, { range: 'bytes=0-9', 'if-range': '"other"' })).statusCode, 200, 'a stale If-Range gets the whole file');

  const full = await fetchUrl(ta, m.url);
  t.equal(full.headers['accept-ranges'], 'bytes');
  const cached = await fetchUrl(ta, m.url, { 'if-none-match': full.headers.etag as string });
  t.equal(cached.statusCode, 304);
  t.equal(cached.rawPayload.length, 0);
  const head = await ta.app.inject({ method: 'HEAD', url: m.url.replace(ta.config.publicUrl, '') });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-length'], String(doc.length));
  t.equal(head.rawPayload.length, 0);

  const origRange = await fetchUrl(ta, m.originalUrl, { ...staff, range: 'bytes=10-19' });
  t.equal(origRange.statusCode, 206);
  t.same(origRange.rawPayload, doc.subarray(10, 20));
});

t.test('file names never reach the file system', async (t) => {
  const evil = await upload(ta, 'author', { filename: '../../../etc/pass\u0000wd<script>.png', data: await png(100, 100) });
  t.equal(evil.statusCode, 201);
  t.equal(evil.json().filename, 'passwdscript.png', 'kept as sanitised metadata only');
  const dots = await upload(ta, 'author', { filename: '..', data: await png(100, 100) });
  t.equal(dots.json().filename, 'upload');
  t.notOk(filesIn(dir).some((f) => f.includes('passwd') || f.includes('..')));
  const key = evil.json().url.split('/media/')[1].split('.')[0];
  for (const path of ['/media/..%2F..%2Fetc%2Fpasswd', `/media/originals%2F${key}.png`, '/media/.tmp', `/media/${key}.exe`, '/media/a.png']) {
    t.equal((await ta.app.inject({ method: 'GET', url: path })).statusCode, 404, path);
  }
  await assertNoStrayFiles(t);
});
