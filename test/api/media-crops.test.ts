// Crops around the focal point, checked on the pixels, and `crops` (API.md §7) in media JSON,
// article covers, previews and webhook payloads.
import { asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { fetchUrl, jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

interface Crop {
  width: number;
  height: number;
  url: string;
  srcset: string;
}
interface MediaJson {
  id: number;
  url: string;
  version: number;
  crops: Record<string, Crop>;
}

const uploaded = async (filename: string, data: Buffer): Promise<MediaJson> => {
  const res = await upload(ta, 'editor', { filename, data });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};
const setFocalPoint = async (m: MediaJson, x: number, y: number): Promise<MediaJson> => {
  const res = await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${m.id}`, payload: { focalPoint: { x, y } } });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
};
const srcsetOf = (crop: Crop) => crop.srcset.split(', ').map((entry) => {
  const [url, w] = entry.split(' ');
  return { url, width: Number(w.replace(/w$/, '')) };
});

type Rgb = [number, number, number];
async function pixelsOf(image: Buffer) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const i = (y * info.width + x) * info.channels;
    return [data[i], data[i + 1], data[i + 2]];
  };
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if (isRed([data[i], data[i + 1], data[i + 2]])) red++;
  return { width: info.width, height: info.height, at, red };
}
const isRed = ([r, g, b]: Rgb) => r > 200 && g < 60 && b < 60;
const isGrey = ([r, g, b]: Rgb) => Math.abs(r - 128) < 12 && Math.abs(g - 128) < 12 && Math.abs(b - 128) < 12;

/**
 * 800 × 600 (4:3), grey, with a red 60 × 60 square centred on (0.9, 0.5) and blue bands over
 * the top and bottom 60 rows. PNG, so that the crops (fm=auto, no Accept → PNG) are lossless.
 */
const marked = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 128, g: 128, b: 128 } } })
  .composite([
    { input: { create: { width: 60, height: 60, channels: 3, background: { r: 255, g: 0, b: 0 } } }, left: 690, top: 270 },
    { input: { create: { width: 800, height: 60, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 0, top: 0 },
    { input: { create: { width: 800, height: 60, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 0, top: 540 },
  ])
  .png()
  .toBuffer();

t.test('a 16:9 crop of a 4:3 image with its focal point at (0.9, 0.5) keeps that point in frame', async (t) => {
  const m = await setFocalPoint(await uploaded('diem.png', marked), 0.9, 0.5);
  const entry = srcsetOf(m.crops['16:9']).find((e) => e.width === 640)!;
  t.match(entry.url, /\?w=640&h=360&fit=cover&fm=auto&fp-x=0\.9&fp-y=0\.5$/);
  const res = await fetchUrl(ta, entry.url);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/png');
  const px = await pixelsOf(res.rawPayload);
  t.same([px.width, px.height], [640, 360]);
  // Scaled to 640 × 480, the 360 rows kept are 60–420: the focal point (576, 240) lands at (576, 180).
  t.ok(isRed(px.at(576, 180)), `the focal point is red in the crop: ${px.at(576, 180)}`);
  t.ok(px.red > 2000, 'the whole marker is in frame');
  t.ok(isGrey(px.at(320, 0)) && isGrey(px.at(320, 359)), 'the bands above and below were cut, evenly');
});

t.test('a crop across the width follows the focal point; a new focal point makes new URLs, old ones keep their image', async (t) => {
  const m = await uploaded('doc.png', marked);
  t.same(m.crops['3:4'].url.match(/w=(\d+)&h=(\d+)/)!.slice(1).map(Number), [320, 427]);
  const centred = await fetchUrl(ta, m.crops['3:4'].url);
  t.equal(centred.statusCode, 200);
  t.equal(centred.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal((await pixelsOf(centred.rawPayload)).red, 0, 'cropped around the centre, the marker at x = 0.9 is cut off');

  const moved = await setFocalPoint(m, 0.9, 0.5);
  t.not(moved.crops['3:4'].url, m.crops['3:4'].url, 'the crop has a new URL');
  const right = await fetchUrl(ta, moved.crops['3:4'].url);
  const px = await pixelsOf(right.rawPayload);
  t.same([px.width, px.height], [320, 427]);
  // Scaled to 569 × 427, the window is pulled to the right edge (left 249): x = 512 lands at 263.
  t.ok(isRed(px.at(263, 213)), `the focal point is in frame: ${px.at(263, 213)}`);
  t.ok(px.red > 1000);

  const again = await fetchUrl(ta, m.crops['3:4'].url);
  t.same(again.rawPayload, centred.rawPayload, 'the old URL still serves the crop it showed');
  const neverMade = srcsetOf(m.crops['16:9']).find((e) => e.width === 320)!.url;
  const redirect = await fetchUrl(ta, neverMade);
  t.equal(redirect.statusCode, 302, 'an old URL whose image was never made points to the current crop');
  t.equal(redirect.headers.location, srcsetOf(moved.crops['16:9']).find((e) => e.width === 320)!.url);
  t.equal((await fetchUrl(ta, String(redirect.headers.location))).statusCode, 200);
});

t.test('crops: the largest allowed width the image fills, and a srcset over the widths it fills', async (t) => {
  const m = await uploaded('anh.jpg', await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080' } }).jpeg().toBuffer());
  t.same(Object.keys(m.crops), ['16:9', '4:3', '1:1', '3:4'], 'IMAGE_ASPECTS, in order');
  t.same({ width: m.crops['4:3'].width, height: m.crops['4:3'].height }, { width: 1024, height: 768 }, 'a 1200×900 original gives 1024×768 at 4:3');
  t.same(srcsetOf(m.crops['4:3']).map((e) => e.width), [160, 320, 480, 640, 768, 1024]);
  t.same([m.crops['16:9'].width, m.crops['16:9'].height], [1024, 576]);
  t.same([m.crops['1:1'].width, m.crops['1:1'].height], [768, 768]);
  t.same([m.crops['3:4'].width, m.crops['3:4'].height], [640, 853]);
  t.equal(srcsetOf(m.crops['3:4']).at(-1)!.url, m.crops['3:4'].url, 'url is the largest entry');
  for (const { url, width } of srcsetOf(m.crops['3:4'])) {
    const res = await fetchUrl(ta, url, { accept: 'image/avif,image/webp' });
    t.equal(res.statusCode, 200, url);
    t.equal(res.headers['content-type'], 'image/avif', 'fm=auto');
    t.equal((await sharp(res.rawPayload).metadata()).width, width, `${width}w is ${width} pixels wide`);
  }

  const tiny = await uploaded('nho.png', await sharp({ create: { width: 100, height: 80, channels: 3, background: '#808080' } }).png().toBuffer());
  t.same(srcsetOf(tiny.crops['16:9']).map((e) => e.width), [100], 'narrower than every width: one entry at its own scale');
  const small = await fetchUrl(ta, tiny.crops['16:9'].url);
  const meta = await sharp(small.rawPayload).metadata();
  t.same([meta.width, meta.height], [tiny.crops['16:9'].width, tiny.crops['16:9'].height]);
  t.same([meta.width, meta.height], [100, 56]);
});

t.test('articles embed the cover’s crops: staff, public, preview and webhook payload agree', async (t) => {
  const m = await uploaded('bia.jpg', await jpegWithGps(1600, 900));
  const a = await articleIn(ta, 'published', { coverMediaId: m.id });
  const publicCover = (await ta.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).json().cover;
  t.same(publicCover.crops, m.crops);
  t.match(publicCover.crops['16:9'].srcset, /^https:\/\/api\.baodongthap\.vn\/media\/[0-9a-f]{32}\.jpg\?w=160&h=90&fit=cover&fm=auto&fp-x=0\.5&fp-y=0\.5 160w, /);
  t.same((await ta.app.inject({ method: 'GET', url: `/api/v1/articles?id=${a.id}` })).json()[0].cover.crops, m.crops, 'in lists');
  t.same((await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json().cover.crops, m.crops, 'staff');
  const link = (await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: {} })).json();
  t.same((await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` })).json().cover.crops, m.crops, 'preview');
  const published = await ta.app.ctx.db.select().from(events).where(eq(events.type, 'article.published')).orderBy(asc(events.id));
  t.same((published.at(-1)!.data as { cover: { crops: unknown } }).cover.crops, m.crops, 'the article.published payload');

  const moved = await setFocalPoint(m, 0.2, 0.8);
  t.match(moved.crops['1:1'].url, /fp-x=0\.2&fp-y=0\.8$/);
  const updated = await ta.app.ctx.db.select().from(events).where(eq(events.type, 'media.updated')).orderBy(asc(events.id));
  t.same((updated.at(-1)!.data as { crops: unknown }).crops, moved.crops, 'the media.updated payload');
  const after = (await ta.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).json().cover;
  t.same(after.crops, moved.crops, 'the public cover follows the new focal point');
});

t.test('changed IMAGE_WIDTHS or IMAGE_ASPECTS: crops are recomputed at start', async (t) => {
  const m = await uploaded('doi.jpg', await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080' } }).jpeg().toBuffer());
  const other = await ta.secondInstance({ IMAGE_WIDTHS: '200,400', IMAGE_ASPECTS: '2:1' });
  const res = await other.inject({ method: 'GET', url: `/api/v1/media/${m.id}`, headers: { authorization: `Bearer ${ta.users.editor.token}` } });
  const crops = res.json().crops as Record<string, Crop>;
  t.same(Object.keys(crops), ['2:1']);
  t.same(srcsetOf(crops['2:1']).map((e) => e.width), [200, 400]);
  t.same([crops['2:1'].width, crops['2:1'].height], [400, 200]);
  t.equal(res.json().version, m.version, 'derived data: the record’s version is unchanged');
  t.equal((await other.inject({ method: 'GET', url: crops['2:1'].url.replace(ta.config.publicUrl, '') })).statusCode, 200, 'its URLs are allowed there');
});
