// The same media API on an S3-compatible bucket (s3rver on loopback).
import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { fetchUrl, hasGps, jpegWithGps, upload } from '../helpers/media.js';
import { startTestS3 } from '../helpers/s3.js';

const s3 = await startTestS3();
const ta = await createTestApp({ ...s3.env, MEDIA_MAX_BYTES: '200000' });
t.teardown(async () => {
  await ta.close();
  await s3.close();
});
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const staff = { authorization: `Bearer ${ta.users.editor.token}` };
const keyOf = (url: string) => url.split('/media/')[1];
const noTemporaryObjects = async () => (await ta.app.ctx.storage.removeStaleTemp(new Date(Date.now() + 60_000))) === 0;

t.test('upload, serve, delete through the bucket', async (t) => {
  t.equal(ta.app.ctx.storage.kind, 's3');
  const jpg = await jpegWithGps(1400, 700);
  const res = await upload(ta, 'author', { filename: 'ảnh.jpg', data: jpg }, { alt: 'Trên S3' });
  t.equal(res.statusCode, 201, res.body);
  const m = res.json();
  t.match(m, { mimeType: 'image/jpeg', width: 700, height: 1400, sha256: sha(jpg) });

  const pub = await fetchUrl(ta, m.url);
  t.equal(pub.statusCode, 200);
  t.equal(pub.headers['content-type'], 'image/jpeg');
  t.equal(pub.headers['x-content-type-options'], 'nosniff');
  t.equal((await sharp(pub.rawPayload).metadata()).exif, undefined);
  const range = await fetchUrl(ta, m.url, { range: 'bytes=0-0' });
  t.equal(range.statusCode, 206);
  t.same(range.rawPayload, pub.rawPayload.subarray(0, 1));
  const orig = await fetchUrl(ta, m.originalUrl, staff);
  t.equal(sha(orig.rawPayload), sha(jpg));
  t.ok(hasGps((await sharp(orig.rawPayload).metadata()).exif));
  t.ok(await noTemporaryObjects(), 'committed objects left tmp/');

  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${m.id}` })).statusCode, 200);
  for (const url of [m.url, ...m.renditions.map((r: { url: string }) => r.url)]) {
    t.equal(await ta.app.ctx.storage.head(keyOf(url)), undefined, `${keyOf(url)} removed from the bucket`);
  }
  t.equal((await fetchUrl(ta, m.url)).statusCode, 404);
});

t.test('refused uploads leave nothing in the bucket', async (t) => {
  t.equal((await upload(ta, 'author', { filename: 'x.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') })).statusCode, 415);
  const big = Buffer.concat([await jpegWithGps(64, 64), Buffer.alloc(300_000)]);
  t.equal((await upload(ta, 'author', { filename: 'big.jpg', data: big })).statusCode, 413);
  t.ok(await noTemporaryObjects());
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/media' })).headers['x-total-count'], '0');
});

t.test('images on demand are stored in the bucket beside the original and deleted with the media', async (t) => {
  const m = (await upload(ta, 'editor', { filename: 'bia.jpg', data: await jpegWithGps(800, 600) })).json();
  const fileId = keyOf(m.url).slice(0, 32);
  const listDerived = async () => {
    const client = new S3Client({ region: s3.options.region, endpoint: s3.options.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.options.bucket, Prefix: `derived/${fileId}/` }));
      return (page.Contents ?? []).map((o) => o.Key);
    } finally {
      client.destroy();
    }
  };
  const urls = [`${m.url}?w=320&fm=webp`, m.crops['16:9'].url, `${m.url}?w=160&h=120&fit=contain&fm=png`];
  const first = [];
  for (const url of urls) {
    const res = await fetchUrl(ta, url, { accept: 'image/webp' });
    t.equal(res.statusCode, 200, url);
    first.push(res.rawPayload);
  }
  t.equal((await listDerived()).length, 3, 'three objects under derived/<file id>/');
  const again = await fetchUrl(ta, urls[0]);
  t.same(again.rawPayload, first[0], 'served from the bucket');
  const part = await fetchUrl(ta, urls[0], { range: 'bytes=2-5' });
  t.equal(part.statusCode, 206);
  t.same(part.rawPayload, first[0].subarray(2, 6));
  t.ok(await noTemporaryObjects(), 'renders leave nothing under tmp/');

  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${m.id}` })).statusCode, 200);
  t.same(await listDerived(), [], 'deleted with the media');
  t.equal((await fetchUrl(ta, urls[0])).statusCode, 404);
});
