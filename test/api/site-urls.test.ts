// `url` on public articles and categories (API.md §10): from SITE_URL and the URL templates, the
// same in lists, records and previews, selectable with `fields`; a fresh start links to where
// the API answers.
import t from 'tap';
import { dateParts, fillUrlTemplate } from '../../src/lib/url-template.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';

t.test('from SITE_URL and the default templates', async (t) => {
  const ta = await createTestApp({ SITE_URL: 'https://baodongthap.vn/', SCHEDULER_INTERVAL_MS: '0' });
  t.teardown(() => ta.close());
  const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự' } })).json();
  t.equal(cat.url, 'https://baodongthap.vn/thoi-su', 'a category carries its url');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/categories/${cat.id}` })).json().url, 'https://baodongthap.vn/thoi-su');
  t.same((await ta.req(null, { method: 'GET', url: '/api/v1/categories?fields=url' })).json(), [{ id: cat.id, url: 'https://baodongthap.vn/thoi-su' }]);
  const sentBack = await ta.req('editor', { method: 'PUT', url: `/api/v1/categories/${cat.id}`, payload: { ...cat, description: 'Tin trong ngày' } });
  t.equal(sentBack.statusCode, 200, 'an admin UI may send the url back; it is ignored');

  const inCat = await articleIn(ta, 'published', { title: 'Kỳ họp lần thứ 9', categoryId: cat.id });
  const noCat = await articleIn(ta, 'published', { title: 'Không chuyên mục' });
  const one = (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${inCat.id}` })).json();
  t.equal(one.url, 'https://baodongthap.vn/thoi-su/ky-hop-lan-thu-9');
  const other = (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${noCat.slug}` })).json();
  t.equal(other.url, `https://baodongthap.vn/${noCat.slug}`, 'no category: {category} drops with its /');

  const list = (await ta.req(null, { method: 'GET', url: '/api/v1/articles?fields=url' })).json();
  t.same(list, [{ id: noCat.id, url: other.url }, { id: inCat.id, url: one.url }], 'the list says the same, and fields selects url');
  const full = (await ta.req(null, { method: 'GET', url: '/api/v1/articles' })).json();
  t.same(full.map((a: { url: string }) => a.url), [other.url, one.url]);

  // The website's preview shows the working copy, with the URL it will have.
  const draft = await articleIn(ta, 'draft', { title: 'Bản nháp', categoryId: cat.id });
  const link = (await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${draft.id}/preview-links`, payload: {} })).json();
  const preview = (await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` })).json();
  t.equal(preview.url, 'https://baodongthap.vn/thoi-su/ban-nhap');
});

t.test('dates in SITE_TIME_ZONE, written by the database as the template module writes them', async (t) => {
  const ta = await createTestApp({ SITE_URL: 'https://x.vn', ARTICLE_URL_TEMPLATE: '{site}/{yyyy}/{mm}/{dd}/{category}/{id}-{slug}.html', SITE_TIME_ZONE: 'Pacific/Kiritimati', SCHEDULER_INTERVAL_MS: '0' });
  t.teardown(() => ta.close());
  const a = await articleIn(ta, 'published', { title: 'Tin nhanh' });
  const got = (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  // UTC+14 all year: its calendar date is the UTC date of 14 hours later.
  const local = new Date(Date.parse(got.publishedAt) + 14 * 3600_000).toISOString();
  t.equal(got.url, `https://x.vn/${local.slice(0, 4)}/${local.slice(5, 7)}/${local.slice(8, 10)}/${a.id}-tin-nhanh.html`);
  const expected = fillUrlTemplate(ta.config.site.articleUrl, { id: String(a.id), slug: got.slug, ...dateParts(new Date(got.publishedAt), 'Pacific/Kiritimati') });
  t.equal(got.url, expected, 'SQL and JS agree');
  const listed = (await ta.req(null, { method: 'GET', url: '/api/v1/articles?fields=url,title' })).json();
  t.same(listed, [{ id: a.id, title: 'Tin nhanh', url: expected }]);
});

t.test('a fresh start (no SITE_URL) gives links that answer', async (t) => {
  const ta = await createTestApp({ PORT: '3000', SCHEDULER_INTERVAL_MS: '0' });
  t.teardown(() => ta.close());
  const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Kinh tế' } })).json();
  const a = await articleIn(ta, 'published', { title: 'Giá lúa tăng', categoryId: cat.id });
  const got = (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal(got.url, 'http://localhost:3000/api/v1/articles/gia-lua-tang');
  t.equal(cat.url, 'http://localhost:3000/api/v1/categories/kinh-te');
  for (const url of [got.url, cat.url]) {
    const res = await ta.app.inject({ method: 'GET', url: new URL(url).pathname });
    t.equal(res.statusCode, 200, `${url} answers`);
  }
});
