// Sitemaps (API.md §10): the index, monthly article files (months in SITE_TIME_ZONE, split past
// the URL limit, made small here), categories and Google News, each checked for the elements its
// protocol requires; strict XML with the protocols' namespaces; public caching and 304s.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { articleLive } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { png, upload } from '../helpers/media.js';
import { type Parsed, parseXml, RFC822 } from '../helpers/xml.js';

const SITE = 'https://www.toasoan.example';
const ORIGIN = 'https://app.toasoan.example';
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', SITE_URL: SITE, SITE_NAME: 'Báo Đồng Tháp', SITEMAP_URLS_PER_FILE: '2', CORS_ORIGINS: ORIGIN });
t.teardown(() => ta.close());
const api = ta.config.publicUrl;
const base = '/api/v1/sitemaps';
const get = (url: string, headers: Record<string, string> = {}) => ta.app.inject({ method: 'GET', url, headers });

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// Articles dated in the past: no API backdates a publication, so the live rows are moved here.
async function backdate(id: number, at: string) {
  await ta.app.ctx.db.update(articleLive).set({ publishedAt: new Date(at), visibleFrom: new Date(at), updatedAt: new Date(at) }).where(eq(articleLive.articleId, id));
}
const urlOf = async (id: number) => (await get(`/api/v1/articles/${id}`)).json().url as string;

const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Nông nghiệp' } })).json() as { id: number; slug: string };
const cover = (await upload(ta, 'editor', { filename: 'bia.png', data: await png(), contentType: 'image/png' })).json() as { id: number; url: string };
const TITLE = 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng & “mùa lúa”';
const now1 = await articleIn(ta, 'published', { title: TITLE, categoryId: cat.id, coverMediaId: cover.id });
const now2 = await articleIn(ta, 'published', { title: 'Tin thứ hai' });
const now3 = await articleIn(ta, 'published', { title: 'Tin thứ ba', categoryId: cat.id });
const old = await articleIn(ta, 'published', { title: 'Tin tháng ba', categoryId: cat.id, coverMediaId: cover.id });
await backdate(old.id, '2025-03-10T03:00:00Z');
// 18:00 UTC on 31 March is 01:00 on 1 April in Asia/Ho_Chi_Minh: an April article.
const edge = await articleIn(ta, 'published', { title: 'Tin nửa đêm' });
await backdate(edge.id, '2025-03-31T18:00:00Z');
await articleIn(ta, 'draft', { title: 'Bản nháp' });
const hidden = await articleIn(ta, 'published', { title: 'Tin không lập chỉ mục', seo: { noindex: true } });
const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

const locs = (doc: Parsed): string[] => (doc.urlset.url ?? []).map((u: Parsed) => u.loc);

t.test('the index lists each month’s files, categories and news', async (t) => {
  const res = await get(`${base}/index.xml`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
  t.match(res.headers['cache-control'], /^public/);
  t.ok(String(res.headers['surrogate-key']).split(' ').includes('sitemaps'));
  const doc = parseXml(res.body);
  t.equal(doc.sitemapindex['@xmlns'], SITEMAP_NS);
  const entries: Parsed[] = doc.sitemapindex.sitemap;
  t.same(
    entries.map((s) => s.loc),
    [`${base}/articles-2025-03.xml`, `${base}/articles-2025-04.xml`, `${base}/articles-${month}.xml`, `${base}/articles-${month}-2.xml`, `${base}/categories.xml`, `${base}/news.xml`].map((p) => api + p),
    'months in the site’s time zone, split past the limit',
  );
  for (const s of entries) if (s.lastmod !== undefined) t.match(s.lastmod, W3C, 'lastmod is a W3C datetime');
});

t.test('a month’s files: url, lastmod and cover of each live article, split at the limit', async (t) => {
  const part1 = await get(`${base}/articles-${month}.xml`);
  t.equal(part1.statusCode, 200);
  t.equal(part1.headers['content-type'], 'application/xml; charset=utf-8');
  const doc1 = parseXml(part1.body);
  t.equal(doc1.urlset['@xmlns'], SITEMAP_NS);
  t.equal(doc1.urlset['@xmlns:image'], 'http://www.google.com/schemas/sitemap-image/1.1');
  const doc2 = parseXml((await get(`${base}/articles-${month}-2.xml`)).body);
  t.same([...locs(doc1), ...locs(doc2)], [await urlOf(now1.id), await urlOf(now2.id), await urlOf(now3.id)], 'oldest first, each once, the public url');
  t.equal(locs(doc1).length, 2);
  const first: Parsed = doc1.urlset.url[0];
  t.match(first.lastmod, W3C);
  t.same(first['image:image'], [{ 'image:loc': cover.url }], 'the cover as image:image');
  t.equal(doc1.urlset.url[1]['image:image'], undefined, 'no image without a cover');
  t.equal(first.loc, `${SITE}/${cat.slug}/${(await get(`/api/v1/articles/${now1.id}`)).json().slug}`);

  t.same(locs(parseXml((await get(`${base}/articles-2025-03.xml`)).body)), [await urlOf(old.id)]);
  t.same(locs(parseXml((await get(`${base}/articles-2025-04.xml`)).body)), [await urlOf(edge.id)], 'the month of the site’s time zone');
  for (const name of [`articles-${month}-3.xml`, `articles-${month}-1.xml`, 'articles-2025-13.xml', 'articles-2024-01.xml', 'articles-2025-3.xml', 'other.xml', 'articles-2025-03.xml.gz']) {
    t.equal((await get(`${base}/${name}`)).statusCode, 404, `${name} names nothing`);
  }
});

t.test('categories.xml lists every category’s page', async (t) => {
  const res = await get(`${base}/categories.xml`);
  t.equal(res.statusCode, 200);
  const doc = parseXml(res.body);
  t.equal(doc.urlset['@xmlns'], SITEMAP_NS);
  t.same(locs(doc), [`${SITE}/${cat.slug}`]);
  t.match(doc.urlset.url[0].lastmod, W3C);
});

t.test('news.xml: the last 48 hours with publication, date and title', async (t) => {
  const res = await get(`${base}/news.xml`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['surrogate-key'], 'sitemaps articles', 'two keys, not one per article (header limits)');
  const doc = parseXml(res.body);
  t.equal(doc.urlset['@xmlns'], SITEMAP_NS);
  t.equal(doc.urlset['@xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
  t.same(locs(doc), [await urlOf(now3.id), await urlOf(now2.id), await urlOf(now1.id)], 'newest first, nothing older than 48 hours');
  const news: Parsed = doc.urlset.url[2]['news:news'];
  t.same(news['news:publication'], { 'news:name': 'Báo Đồng Tháp', 'news:language': 'vi' });
  t.match(news['news:publication_date'], W3C);
  t.equal(news['news:title'], TITLE, 'the title, byte-exact');
});

t.test('ETag and Last-Modified answer 304, streamed or not, with CORS', async (t) => {
  for (const url of [`${base}/index.xml`, `${base}/articles-${month}.xml`, `${base}/categories.xml`, `${base}/news.xml`]) {
    const first = await get(url, { origin: ORIGIN });
    t.equal(first.headers['access-control-allow-origin'], ORIGIN, `${url}: CORS`);
    const etag = String(first.headers.etag);
    t.ok(etag.length > 2, 'an ETag');
    t.equal((await get(url, { 'if-none-match': etag })).statusCode, 304, `${url}: If-None-Match`);
    const lastModified = first.headers['last-modified'];
    if (lastModified !== undefined) {
      t.match(lastModified, RFC822);
      t.equal((await get(url, { 'if-modified-since': String(lastModified) })).statusCode, 304, `${url}: If-Modified-Since`);
    }
  }
});

t.test('noindex articles are left out of every sitemap, not out of feeds', async (t) => {
  const url = await urlOf(hidden.id);
  for (const file of [`articles-${month}.xml`, `articles-${month}-2.xml`, 'news.xml']) {
    t.notMatch((await get(`${base}/${file}`)).body, url, file);
  }
  t.match((await get('/api/v1/feeds/articles.rss')).body, url, 'the feed has it');
});

t.test('an unpublished article leaves every sitemap at once', async (t) => {
  const etag = String((await get(`${base}/articles-${month}.xml`)).headers.etag);
  await get(`${base}/index.xml`);
  t.equal((await get(`${base}/index.xml`)).headers['x-cache'], 'hit');
  t.equal((await transition(ta, 'editor', now2.id, 'unpublish')).statusCode, 200);
  const after = await get(`${base}/articles-${month}.xml`, { 'if-none-match': etag });
  t.equal(after.statusCode, 200, 'the old ETag no longer matches');
  t.same(locs(parseXml(after.body)).length, 2);
  t.notMatch(after.body, 'tin-thu-hai');
  t.equal((await get(`${base}/articles-${month}-2.xml`)).statusCode, 404, 'two articles fit in one file now');
  t.notMatch((await get(`${base}/index.xml`)).body, `articles-${month}-2.xml`);
  t.notMatch((await get(`${base}/news.xml`)).body, 'tin-thu-hai');
});
