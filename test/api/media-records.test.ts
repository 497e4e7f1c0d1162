// The media library as records: list and search, metadata edits, roles, deletion rules.
import { asc, gt } from 'drizzle-orm';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';
import { filesIn } from '../helpers/media-dir.js';
import { fetchUrl, pdf, png, upload } from '../helpers/media.js';

const ta = await createTestApp();
t.teardown(() => ta.close());
type Who = 'admin' | 'editor' | 'author' | 'author2' | null;
const patch = (as: Who, id: number, payload: object, headers: Record<string, string> = {}) =>
  ta.req(as, { method: 'PATCH', url: `/api/v1/media/${id}`, payload, headers });
const del = (as: Who, id: number, headers: Record<string, string> = {}) => ta.req(as, { method: 'DELETE', url: `/api/v1/media/${id}`, headers });
const uploadPng = async (as: Who, fields: Record<string, string> = {}, filename = 'anh.png') => {
  const res = await upload(ta, as, { filename, data: await png(700, 350) }, fields);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
};

const ownByAuthor = await uploadPng('author', { alt: 'Cánh đồng lúa Tân Hồng', caption: 'Nông thôn mới' }, 'canh-dong.png');
const byEditor = await uploadPng('editor', { alt: 'Trụ sở UBND huyện' }, 'tru-so.png');
const document = (await upload(ta, 'editor', { filename: 'Nghị quyết Đảng bộ.pdf', data: pdf(3000) })).json();

t.test('staff list media with the list conventions; anonymous may not', async (t) => {
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/media' })).statusCode, 401);
  const all = await ta.req('author', { method: 'GET', url: '/api/v1/media' });
  t.equal(all.statusCode, 200);
  t.equal(all.headers['x-total-count'], '3');
  t.equal(all.headers['content-range'], 'media 0-2/3');
  t.same(all.json().map((m: { id: number }) => m.id), [document.id, byEditor.id, ownByAuthor.id], 'newest first');
  const pngs = await ta.req('editor', { method: 'GET', url: '/api/v1/media?mimeType=image/png&_sort=filename&_order=asc' });
  t.same(pngs.json().map((m: { filename: string }) => m.filename), ['canh-dong.png', 'tru-so.png']);
  const pdfs = await ta.req('editor', { method: 'GET', url: `/api/v1/media?filter=${encodeURIComponent('{"mimeType":"application/pdf"}')}` });
  t.same(pdfs.json().map((m: { id: number }) => m.id), [document.id]);
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/media?mimeType=image/svg%2Bxml' })).statusCode, 400);
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/media?storageKey=x' })).statusCode, 400, 'private fields are not filters');
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/media?_sort=originalKey' })).statusCode, 400);
  const page = await ta.req('editor', { method: 'GET', url: '/api/v1/media?range=[1,1]' });
  t.equal(page.headers['content-range'], 'media 1-1/3');
});

t.test('q searches filename, alt and caption, accent-insensitively', async (t) => {
  const ids = async (q: string) =>
    (await ta.req('editor', { method: 'GET', url: `/api/v1/media?q=${encodeURIComponent(q)}` })).json().map((m: { id: number }) => m.id);
  t.same(await ids('tan hong'), [ownByAuthor.id], 'alt, folded');
  t.same(await ids('Tân Hồng'), [ownByAuthor.id]);
  t.same(await ids('nong thon moi'), [ownByAuthor.id], 'caption');
  t.same(await ids('nghi quyet dang bo'), [document.id], 'filename, with đ folded');
  t.same(await ids('UBND'), [byEditor.id]);
  t.same(await ids('không có'), []);
});

t.test('metadata edits: Vietnamese text in NFC, focal point, versions', async (t) => {
  const nfd = 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng'.normalize('NFD');
  const res = await patch('author', ownByAuthor.id, { alt: nfd, caption: 'Ảnh: Chí Dũng 📷', credit: ' Kim Lệ ', focalPoint: { x: 0.25, y: 0.75 } });
  t.equal(res.statusCode, 200, res.body);
  const m = res.json();
  t.equal(m.alt, nfd.normalize('NFC'));
  t.equal(Buffer.compare(Buffer.from(m.alt), Buffer.from('Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng'.normalize('NFC'))), 0);
  t.match(m, { caption: 'Ảnh: Chí Dũng 📷', credit: 'Kim Lệ', focalPoint: { x: 0.25, y: 0.75 }, version: 2 });
  const read = await ta.req('editor', { method: 'GET', url: `/api/v1/media/${m.id}` });
  t.same(read.json(), m);
  t.match(read.headers.etag, /^"2-/);
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/media/${m.id}`, headers: { 'if-none-match': read.headers.etag as string } })).statusCode, 304);

  const sentBack = await ta.req('author', { method: 'PUT', url: `/api/v1/media/${m.id}`, payload: { ...m, url: 'https://evil.example/x.png', size: 1, caption: 'Gửi lại' } });
  t.equal(sentBack.statusCode, 200, 'a record sent back whole is accepted');
  t.match(sentBack.json(), { caption: 'Gửi lại', url: m.url, size: m.size, version: 3 });
  t.equal((await patch('author', m.id, { alt: 'x' }, { 'if-match': read.headers.etag as string })).statusCode, 412, 'stale If-Match');
  t.equal((await patch('author', m.id, { alt: 'x', version: 1 })).statusCode, 412, 'stale body version');
  t.equal((await patch('author', m.id, { alt: 'x', version: 3 })).statusCode, 200);
  for (const bad of [{ focalPoint: { x: 1.5, y: 0 } }, { focalPoint: { x: 0.5 } }, { colour: 'red' }, { alt: 5 }]) {
    t.equal((await patch('editor', m.id, bad)).statusCode, 400, JSON.stringify(bad));
  }
  t.equal((await patch('editor', 999999, { alt: 'x' })).statusCode, 404);

  const viaUpload = await uploadPng('author', { alt: 'Đồng Tháp mùa nước nổi 🌾'.normalize('NFD') }, 'Đồng Tháp.png'.normalize('NFD'));
  t.equal(viaUpload.alt, 'Đồng Tháp mùa nước nổi 🌾'.normalize('NFC'), 'multipart fields are stored NFC too');
  t.equal(viaUpload.filename, 'Đồng Tháp.png'.normalize('NFC'));
  await del('editor', viaUpload.id);
});

t.test('role matrix: authors edit their own uploads only, deleting is for editors', async (t) => {
  t.equal((await patch(null, byEditor.id, { alt: 'x' })).statusCode, 401);
  t.equal((await patch('author', byEditor.id, { alt: 'x' })).statusCode, 403, 'not the uploader');
  t.equal((await patch('author2', ownByAuthor.id, { alt: 'x' })).statusCode, 403);
  t.equal((await patch('editor', ownByAuthor.id, { credit: 'Biên tập' })).statusCode, 200);
  t.equal((await patch('admin', byEditor.id, { credit: 'Quản trị' })).statusCode, 200);
  t.equal((await ta.req('author', { method: 'GET', url: `/api/v1/media/${byEditor.id}` })).statusCode, 200, 'every staff member reads');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/media/${byEditor.id}` })).statusCode, 401);
  t.equal((await del(null, ownByAuthor.id)).statusCode, 401);
  t.equal((await del('author', ownByAuthor.id)).statusCode, 403, 'not even their own');
});

t.test('delete returns the record and removes its files', async (t) => {
  const m = await uploadPng('author');
  const files = filesIn(ta.config.mediaDir).filter((f) => f.includes(m.url.split('/media/')[1].slice(0, 32)));
  t.equal(files.length, 1 + 1 + m.renditions.length, 'public file, original, renditions');
  t.equal((await del('editor', m.id, { 'if-match': '"7"' })).statusCode, 412);
  const res = await del('editor', m.id);
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: m.id, url: m.url, filename: m.filename, sha256: m.sha256 });
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/media/${m.id}` })).statusCode, 404);
  t.equal((await fetchUrl(ta, m.url)).statusCode, 404);
  t.notOk(filesIn(ta.config.mediaDir).some((f) => files.includes(f)), 'every file is gone');
  t.equal((await del('editor', m.id)).statusCode, 404);
});

t.test('media events carry the public shape', async (t) => {
  const last = (await ta.app.ctx.db.select().from(events).orderBy(asc(events.id))).at(-1)?.id ?? 0;
  const m = await uploadPng('editor', { alt: 'Sự kiện' });
  await patch('editor', m.id, { caption: 'Đã sửa' });
  await del('editor', m.id);
  const evs = await ta.app.ctx.db.select().from(events).where(gt(events.id, last)).orderBy(asc(events.id));
  t.same(evs.map((e) => e.type), ['media.created', 'media.updated', 'media.deleted']);
  t.same(Object.keys(evs[0].data as object).sort(), ['alt', 'caption', 'credit', 'crops', 'focalPoint', 'height', 'id', 'mimeType', 'renditions', 'url', 'width']);
  t.match(evs[1].data, { id: m.id, caption: 'Đã sửa', url: m.url });
  t.same(evs[2].data, { id: m.id });
});
