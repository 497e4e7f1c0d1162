// Articles and media: covers are checked, embedded with their renditions, and protected.
import { asc, gt } from 'drizzle-orm';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { jpegWithGps, pdf, png, upload } from '../helpers/media.js';

const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn' });
t.teardown(() => ta.close());

const PUBLIC_MEDIA_KEYS = ['alt', 'caption', 'credit', 'crops', 'focalPoint', 'height', 'id', 'mimeType', 'renditions', 'url', 'width'];
const uploadImage = async (alt = 'Ảnh bìa') => (await upload(ta, 'editor', { filename: 'bia.jpg', data: await jpegWithGps(2000, 1000) }, { alt })).json();
const setCover = (id: number, coverMediaId: number | null) => ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${id}`, payload: { coverMediaId } });
const deleteMedia = (id: number) => ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${id}` });

t.test('coverMediaId must name existing image media', async (t) => {
  const doc = (await upload(ta, 'editor', { filename: 'a.pdf', data: pdf(100) })).json();
  const missing = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Bìa', coverMediaId: 999999 } });
  t.equal(missing.statusCode, 400);
  t.same(missing.json().errors, { coverMediaId: 'does not exist' });
  const notImage = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Bìa', coverMediaId: doc.id } });
  t.equal(notImage.statusCode, 400);
  t.same(notImage.json().errors, { coverMediaId: 'is not an image' });
});

t.test('articles embed their cover with renditions for a srcset, in staff and public shapes', async (t) => {
  const img = await uploadImage();
  const created = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Có ảnh bìa', coverMediaId: img.id } });
  t.equal(created.statusCode, 201, created.body);
  const cover = created.json().cover;
  t.same(Object.keys(cover).sort(), PUBLIC_MEDIA_KEYS, 'no uploader, no original, no file name');
  t.match(cover, { id: img.id, url: img.url, width: 1000, height: 2000, mimeType: 'image/jpeg', alt: 'Ảnh bìa', focalPoint: { x: 0.5, y: 0.5 } });
  t.match(cover.url, /^https:\/\/api\.baodongthap\.vn\/media\//);
  t.same(cover.renditions, img.renditions);
  t.same(cover.renditions.map((r: { width: number }) => r.width), [320, 640, 1000]);
  const none = (await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Không ảnh' } })).json();
  t.equal(none.cover, null);

  const seen = (await ta.app.ctx.db.select().from(events).orderBy(asc(events.id))).at(-1)?.id ?? 0;
  for (const action of ['submit', 'approve', 'publish']) t.equal((await transition(ta, 'editor', created.json().id, action)).statusCode, 200);
  const pub = await ta.req(null, { method: 'GET', url: `/api/v1/articles/${created.json().id}` });
  t.equal(pub.statusCode, 200);
  t.same(Object.keys(pub.json().cover).sort(), PUBLIC_MEDIA_KEYS);
  t.same(pub.json().cover, cover);
  const list = await ta.req(null, { method: 'GET', url: '/api/v1/articles' });
  t.same(list.json()[0].cover, cover, 'lists embed it too');
  const [published] = await ta.app.ctx.db.select().from(events).where(gt(events.id, seen)).orderBy(asc(events.id));
  t.match(published, { type: 'article.published', data: { cover: { id: img.id, url: img.url } } });

  // Metadata edits show up wherever the media is embedded.
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${img.id}`, payload: { caption: 'Chú thích mới', focalPoint: { x: 0.1, y: 0.9 } } });
  const again = await ta.req(null, { method: 'GET', url: `/api/v1/articles/${created.json().id}` });
  t.match(again.json().cover, { caption: 'Chú thích mới', focalPoint: { x: 0.1, y: 0.9 } });
});

t.test('media used as a cover, by the working copy or the live version, cannot be deleted', async (t) => {
  const first = await uploadImage('Ảnh một');
  const second = await uploadImage('Ảnh hai');
  const a = await articleIn(ta, 'draft', { coverMediaId: first.id });
  const inUse = await deleteMedia(first.id);
  t.equal(inUse.statusCode, 409);
  t.equal(inUse.json().code, 'conflict');
  t.match(inUse.json().message, String(a.id));

  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  t.equal((await setCover(a.id, second.id)).statusCode, 200);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).json().cover.id, first.id, 'the public still sees the first cover');
  t.equal((await deleteMedia(first.id)).statusCode, 409, 'the live version still shows it');
  t.equal((await deleteMedia(second.id)).statusCode, 409, 'the working copy shows this one');

  t.equal((await transition(ta, 'editor', a.id, 'unpublish')).statusCode, 200);
  t.equal((await deleteMedia(first.id)).statusCode, 200, 'free once nothing shows it');
  t.equal((await setCover(a.id, null)).statusCode, 200);
  t.equal((await deleteMedia(second.id)).statusCode, 200);
});

t.test('media embedded in an article body cannot be deleted either', async (t) => {
  const img = (await upload(ta, 'editor', { filename: 'than-bai.png', data: await png() })).json();
  const a = await articleIn(ta, 'draft', { body: `<p>Ảnh:</p><img src="${img.renditions[0].url}" alt="x">` });
  t.equal((await deleteMedia(img.id)).statusCode, 409);
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { body: '<p>Không còn ảnh</p>' } });
  t.equal((await deleteMedia(img.id)).statusCode, 200);
});

t.test('restoring a revision whose cover was deleted keeps the current cover', async (t) => {
  const img = await uploadImage('Sẽ bị xoá');
  const a = await articleIn(ta, 'draft', { coverMediaId: img.id });
  await setCover(a.id, null);
  t.equal((await deleteMedia(img.id)).statusCode, 200, 'revisions do not hold media');
  const [, first] = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions` })).json();
  t.equal(first.content.coverMediaId, img.id);
  const restored = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${first.id}/restore` });
  t.equal(restored.statusCode, 200, restored.body);
  t.equal(restored.json().coverMediaId, null);
  t.equal(restored.json().cover, null);
});
