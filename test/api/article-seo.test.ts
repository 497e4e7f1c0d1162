// `seo` on articles (API.md §10): editable and optional for staff, resolved with fallbacks in the
// public shape (title, summary, url, cover), kept in revisions, shown in previews.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ SITE_URL: 'https://baodongthap.vn', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

const cover = (await upload(ta, 'editor', { filename: 'bia.jpg', data: await jpegWithGps(1200, 800) }, { alt: 'Ảnh bìa' })).json();
const card = (await upload(ta, 'editor', { filename: 'the.jpg', data: await jpegWithGps(1200, 630) }, { alt: 'Ảnh thẻ' })).json();
const EMPTY = { title: '', description: '', canonicalUrl: '', noindex: false, ogImageId: null };
const content = { title: 'Lúa mùa bội thu', summary: 'Nông dân Tân Hồng phấn khởi.', coverMediaId: cover.id };

const publicOf = async (id: number) => (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${id}` })).json();
const edit = (id: number, payload: object) => ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${id}`, payload });
const republish = async (id: number) => {
  for (const action of ['submit', 'approve', 'publish']) t.equal((await transition(ta, 'editor', id, action)).statusCode, 200, action);
};

t.test('an article without settings: every part falls back', async (t) => {
  const a = await articleIn(ta, 'published', content);
  const staff = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.same(staff.seo, EMPTY, 'staff see the settings as stored: empty');
  const pub = await publicOf(a.id);
  t.same(pub.seo, {
    title: 'Lúa mùa bội thu', description: 'Nông dân Tân Hồng phấn khởi.', canonicalUrl: pub.url, noindex: false,
    image: { id: cover.id, url: cover.url, width: cover.width, height: cover.height, alt: 'Ảnh bìa' },
  });
  t.equal(pub.url, 'https://baodongthap.vn/lua-mua-boi-thu');
  const bare = await articleIn(ta, 'published', { title: 'Không ảnh' });
  t.same((await publicOf(bare.id)).seo, { title: 'Không ảnh', description: '', canonicalUrl: 'https://baodongthap.vn/khong-anh', noindex: false, image: null }, 'no cover: no image');
});

t.test('each part set wins over its fallback, and the public sees it once published', async (t) => {
  const a = await articleIn(ta, 'published', content);
  const seo = { title: 'Lúa mùa – SEO', description: 'Mô tả riêng', canonicalUrl: 'https://nongnghiep.vn/lua-mua', noindex: true, ogImageId: card.id };
  const res = await edit(a.id, { seo });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().seo, seo);
  t.same((await publicOf(a.id)).seo.title, 'Lúa mùa bội thu', 'the live version keeps its settings until re-published');
  await republish(a.id);
  t.same((await publicOf(a.id)).seo, {
    title: 'Lúa mùa – SEO', description: 'Mô tả riêng', canonicalUrl: 'https://nongnghiep.vn/lua-mua', noindex: true,
    image: { id: card.id, url: card.url, width: card.width, height: card.height, alt: 'Ảnh thẻ' },
  });
  const picked = (await ta.req(null, { method: 'GET', url: `/api/v1/articles?id=${a.id}&fields=seo` })).json();
  t.same(picked, [{ id: a.id, seo: (await publicOf(a.id)).seo }], 'fields=seo selects it in lists');
});

t.test('editing: absent parts keep their values, null clears a part, null for seo clears all', async (t) => {
  const a = await articleIn(ta, 'draft', content);
  t.same((await edit(a.id, { seo: { title: '  Tiêu đề SEO  ', noindex: true } })).json().seo, { ...EMPTY, title: 'Tiêu đề SEO', noindex: true }, 'trimmed');
  t.same((await edit(a.id, { seo: { description: 'Mô tả' } })).json().seo, { ...EMPTY, title: 'Tiêu đề SEO', description: 'Mô tả', noindex: true });
  t.same((await edit(a.id, { seo: { title: null, noindex: null } })).json().seo, { ...EMPTY, description: 'Mô tả' });
  t.same((await edit(a.id, { seo: null })).json().seo, EMPTY);
  const staff = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal((await ta.req('editor', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload: staff })).statusCode, 200, 'the record read can be sent back');
  const created = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Mới', seo: { description: 'Ngay từ đầu' } } });
  t.equal(created.statusCode, 201);
  t.same(created.json().seo, { ...EMPTY, description: 'Ngay từ đầu' });
});

t.test('bad settings are a 400 keyed on the part', async (t) => {
  const a = await articleIn(ta, 'draft', content);
  const doc = (await upload(ta, 'editor', { filename: 'a.pdf', data: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') })).json();
  const cases: Array<[object, string]> = [
    [{ canonicalUrl: 'javascript:alert(1)' }, 'seo.canonicalUrl'],
    [{ canonicalUrl: '/relative' }, 'seo.canonicalUrl'],
    [{ title: 'x'.repeat(301) }, 'seo.title'],
    [{ noindex: 'yes' }, 'seo.noindex'],
    [{ ogImageId: 999999 }, 'seo.ogImageId'],
    [{ ogImageId: doc.id }, 'seo.ogImageId'],
    [{ keywords: 'a' }, 'seo.keywords'],
  ];
  for (const [seo, path] of cases) {
    const res = await edit(a.id, { seo });
    t.equal(res.statusCode, 400, JSON.stringify(seo));
    t.ok(res.json().errors?.[path], `${JSON.stringify(seo)}: ${res.body}`);
  }
  t.equal((await edit(a.id, { seo: 'x' })).statusCode, 400);
});

t.test('revisions keep the settings, and restoring one brings them back', async (t) => {
  const a = await articleIn(ta, 'draft', content);
  await edit(a.id, { seo: { title: 'Lần một' } });
  await edit(a.id, { seo: { title: 'Lần hai', noindex: true } });
  const revisions = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions?_sort=id&_order=asc` })).json();
  t.same(revisions.map((r: { content: { seo: { title: string } } }) => r.content.seo.title), ['', 'Lần một', 'Lần hai']);
  const first = revisions[1];
  t.same((await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions/${first.id}` })).json().content.seo, { ...EMPTY, title: 'Lần một' });
  const restored = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${first.id}/restore` });
  t.equal(restored.statusCode, 200, restored.body);
  t.same(restored.json().seo, { ...EMPTY, title: 'Lần một' });
});

t.test('a revision saved before SEO settings existed reads and restores as empty settings', async (t) => {
  const a = await articleIn(ta, 'draft', content);
  await edit(a.id, { seo: { title: 'Có SEO' } });
  const [old] = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions?_sort=id&_order=asc` })).json();
  // As migration 0018 found them: no seo key (it adds the empty settings; here, one written after it).
  await ta.app.ctx.db.execute(sql`UPDATE article_revisions SET content = content - 'seo' WHERE id = ${old.id}`);
  const restored = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${old.id}/restore` });
  t.equal(restored.statusCode, 200, restored.body);
  t.same(restored.json().seo, EMPTY);
});

t.test('a preview shows the working copy settings resolved', async (t) => {
  const a = await articleIn(ta, 'draft', { ...content, title: 'Bản nháp SEO' });
  await edit(a.id, { seo: { description: 'Mô tả nháp', ogImageId: card.id } });
  const link = (await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: {} })).json();
  const preview = (await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` })).json();
  t.same(preview.seo, {
    title: 'Bản nháp SEO', description: 'Mô tả nháp', canonicalUrl: 'https://baodongthap.vn/ban-nhap-seo', noindex: false,
    image: { id: card.id, url: card.url, width: card.width, height: card.height, alt: 'Ảnh thẻ' },
  });
});

t.test('the social image is a use of its media: edits purge the cached article, deleting it is refused', async (t) => {
  const img = (await upload(ta, 'editor', { filename: 'rieng.jpg', data: await jpegWithGps(800, 420) }, { alt: 'Trước' })).json();
  const a = await articleIn(ta, 'draft', { title: 'Ảnh thẻ riêng' });
  await edit(a.id, { seo: { ogImageId: img.id } });
  await republish(a.id);
  t.equal((await publicOf(a.id)).seo.image.alt, 'Trước');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).headers['x-cache'], 'hit', 'cached');
  const media = (await ta.req('editor', { method: 'GET', url: `/api/v1/media/${img.id}` })).json();
  t.equal((await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${img.id}`, payload: { alt: 'Sau', version: media.version } })).statusCode, 200);
  t.equal((await publicOf(a.id)).seo.image.alt, 'Sau', 'the cached article was purged');
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/media/${img.id}` });
  t.equal(del.statusCode, 409, del.body);
  t.match(del.json().detail, new RegExp(String(a.id)));
});
