// Feeds (API.md §10): RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest live articles, valid for a
// strict XML parser and for a real feed reader, with the right dates, ids, enclosures and self
// links; filtered by category (sub-categories included) and tag; cached like every public read,
// with ETag and Last-Modified 304s, and changed at once by a publish or an unpublish.
import t from 'tap';
import { parseFeed } from '@rowanmanning/feed-parser';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { png, upload } from '../helpers/media.js';
import { type Parsed, parseXml, RFC3339, RFC822 } from '../helpers/xml.js';

const ORIGIN = 'https://toasoan.example';
const SITE = 'https://www.toasoan.example';
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', CORS_ORIGINS: ORIGIN, SITE_URL: SITE });
t.teardown(() => ta.close());
const api = ta.config.publicUrl;
const get = (url: string, headers: Record<string, string> = {}) => ta.app.inject({ method: 'GET', url, headers });

const TITLE = 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng: “giá lúa” & <chợ> 🌾';
const parent = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự' } })).json() as { id: number; slug: string };
const child = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Giao thông', parentId: parent.id } })).json() as { id: number; slug: string };
const cover = (await upload(ta, 'editor', { filename: 'bia.png', data: await png(1600, 900), contentType: 'image/png' }, { alt: 'Cánh đồng lúa' })).json() as {
  id: number; url: string; renditions: Array<{ width: number; height: number; url: string }>;
};
const body = '<p>Xem <a href="/kinh-te/gia-lua">giá lúa</a> &amp; <a href="https://other.example/x">nguồn</a> 5 &lt;b&gt; 3</p><p><img src="/media/anh.webp" alt="ảnh"></p>';
const a = await articleIn(ta, 'published', {
  title: TITLE, summary: 'Tóm tắt “đầu bài” & chi tiết', body, categoryId: child.id, coverMediaId: cover.id, tags: ['lúa gạo', 'nông nghiệp'],
  credits: [{ role: 'editor', name: 'Kim Lệ' }, { role: 'photographer', name: 'Chí Dũng' }],
});
const b = await articleIn(ta, 'published', { title: 'Bài không chuyên mục', tags: ['lúa gạo'] });
const draft = await articleIn(ta, 'draft', { title: 'Bản nháp không được lộ', categoryId: child.id });
const a2 = (await get(`/api/v1/articles/${a.id}`)).json() as { slug: string; url: string; publishedAt: string; updatedAt: string };
const urlA = `${SITE}/${child.slug}/${a2.slug}`;
t.equal(a2.url, urlA, 'the feeds use the url of the public article');
const largest = cover.renditions.reduce((x, y) => (y.width > x.width ? y : x));

t.test('RSS 2.0: strict XML, a feed reader reads every field', async (t) => {
  const res = await get('/api/v1/feeds/articles.rss');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
  t.match(res.headers['cache-control'], /^public/);
  const doc = parseXml(res.body);
  const channel: Parsed = doc.rss.channel;
  t.equal(doc.rss['@version'], '2.0');
  t.same(channel['atom:link'], { '@href': `${api}/api/v1/feeds/articles.rss`, '@rel': 'self', '@type': 'application/rss+xml' }, 'self link');
  t.match(channel.lastBuildDate, RFC822);
  t.equal(channel.language, 'vi');
  const items: Parsed[] = channel.item;
  t.same(items.map((i) => i.title), ['Bài không chuyên mục', TITLE], 'only live articles, newest first');
  const item = items[1];
  t.equal(Buffer.compare(Buffer.from(item.title), Buffer.from(TITLE)), 0, 'the Vietnamese title is byte-exact');
  t.equal(item.link, urlA);
  t.same(item.guid, { '#text': `${api}/api/v1/articles/${a.id}`, '@isPermaLink': 'false' });
  t.match(item.pubDate, RFC822);
  t.equal(new Date(item.pubDate).getTime(), Math.floor(new Date(a2.publishedAt).getTime() / 1000) * 1000, 'pubDate is publishedAt');
  t.equal(item.description, 'Tóm tắt “đầu bài” & chi tiết');
  t.equal(
    item['content:encoded'],
    `<p>Xem <a href="${SITE}/kinh-te/gia-lua">giá lúa</a> &amp; <a href="https://other.example/x">nguồn</a> 5 &lt;b&gt; 3</p><p><img src="${api}/media/anh.webp" alt="ảnh" /></p>`,
    'the body, relative URLs absolute, its entities intact',
  );
  t.same(item['dc:creator'], ['Kim Lệ', 'Chí Dũng'], 'credits as authors');
  t.same(item.category.map((c: Parsed) => c['#text'] ?? c), ['Giao thông', 'lúa gạo', 'nông nghiệp']);
  t.equal(item.category[0]['@domain'], `${SITE}/${child.slug}`);
  const file = await ta.app.inject({ method: 'GET', url: largest.url.replace(api, '') });
  t.same(item.enclosure, { '@url': largest.url, '@length': String(file.rawPayload.length), '@type': 'image/webp' }, 'enclosure: its length is the file size');
  t.equal(item['media:content']['@url'], largest.url);
  t.equal(item['media:content']['@width'], String(largest.width));
  t.equal(item['media:content']['@height'], String(largest.height));
  t.equal(item['media:content']['media:description']['#text'], 'Cánh đồng lúa');

  const reader = parseFeed(res.body);
  t.equal(reader.title, 'Tòa Soạn');
  t.equal(reader.self, `${api}/api/v1/feeds/articles.rss`);
  const read = reader.items[1];
  t.equal(read.title, TITLE);
  t.equal(read.url, urlA);
  t.equal(read.id, `${api}/api/v1/articles/${a.id}`);
  t.equal(read.published?.getTime(), Math.floor(new Date(a2.publishedAt).getTime() / 1000) * 1000);
  t.same(read.authors.map((x) => x.name), ['Kim Lệ', 'Chí Dũng']);
  t.ok(read.media.some((m) => m.url === largest.url && m.length === file.rawPayload.length && m.mimeType === 'image/webp'), 'the reader sees the enclosure');
  t.notMatch(res.body, draft.title, 'no draft');
});

t.test('Atom 1.0: strict XML, RFC 3339 dates, a feed reader reads every field', async (t) => {
  const res = await get('/api/v1/feeds/articles.atom');
  t.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const feed: Parsed = parseXml(res.body).feed;
  t.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  t.ok(feed.link.some((l: Parsed) => l['@rel'] === 'self' && l['@href'] === `${api}/api/v1/feeds/articles.atom`), 'self link');
  t.match(feed.updated, RFC3339);
  const entry: Parsed = feed.entry[1];
  t.equal(entry.id, `${api}/api/v1/articles/${a.id}`);
  t.equal(entry.title['#text'], TITLE);
  t.equal(entry.published, a2.publishedAt);
  t.match(entry.updated, RFC3339);
  t.ok(entry.link.some((l: Parsed) => l['@rel'] === 'alternate' && l['@href'] === urlA));
  t.ok(entry.link.some((l: Parsed) => l['@rel'] === 'enclosure' && l['@href'] === largest.url && l['@type'] === 'image/webp' && Number(l['@length']) > 0), 'enclosure link');
  t.same(entry.author.map((x: Parsed) => x.name), ['Kim Lệ', 'Chí Dũng']);
  t.equal(entry.content['@type'], 'html');
  t.match(entry.content['#text'], `href="${SITE}/kinh-te/gia-lua"`);
  t.match(entry.content['#text'], '5 &lt;b&gt; 3', 'escaped HTML text stays escaped HTML');

  const reader = parseFeed(res.body);
  t.equal(reader.self, `${api}/api/v1/feeds/articles.atom`);
  t.equal(reader.items[1].title, TITLE);
  t.equal(reader.items[1].url, urlA);
  t.equal(reader.items[1].published?.toISOString(), a2.publishedAt);
});

t.test('JSON Feed 1.1: its required fields, RFC 3339 dates, the cover as image', async (t) => {
  const res = await get('/api/v1/feeds/articles.json');
  t.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
  const feed = res.json();
  t.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  t.equal(feed.feed_url, `${api}/api/v1/feeds/articles.json`);
  t.equal(feed.title, 'Tòa Soạn');
  const item = feed.items[1];
  t.equal(item.id, `${api}/api/v1/articles/${a.id}`);
  t.equal(item.url, urlA);
  t.equal(item.title, TITLE);
  t.equal(item.date_published, a2.publishedAt);
  t.match(item.date_modified, RFC3339);
  t.equal(item.image, cover.url);
  t.same(item.authors, [{ name: 'Kim Lệ' }, { name: 'Chí Dũng' }]);
  t.same(item.tags, ['Giao thông', 'lúa gạo', 'nông nghiệp']);
  t.match(item.content_html, `src="${api}/media/anh.webp"`);
  t.same(item.attachments[0].url, largest.url);
});

t.test('category (with sub-categories), tag and limit', async (t) => {
  const ids = async (url: string) => (await get(url)).json().items.map((i: { id: string }) => Number(i.id.split('/').pop()));
  t.same(await ids(`/api/v1/feeds/articles.json?category=${parent.slug}`), [a.id], 'a parent category takes in its children');
  t.same(await ids(`/api/v1/feeds/articles.json?tag=${encodeURIComponent('lúa gạo')}`), [b.id, a.id]);
  t.same(await ids(`/api/v1/feeds/articles.json?tag=${encodeURIComponent('nông nghiệp')}`), [a.id]);
  t.same(await ids('/api/v1/feeds/articles.json?limit=1'), [b.id]);
  const cat = parseXml((await get(`/api/v1/feeds/articles.rss?category=${parent.slug}&limit=5`)).body).rss.channel;
  t.equal(cat.title, 'Thời sự | Tòa Soạn');
  t.equal(cat['atom:link']['@href'], `${api}/api/v1/feeds/articles.rss?category=${parent.slug}&limit=5`, 'the self link keeps the filters');
  t.equal(cat.link, `${SITE}/${parent.slug}`);

  const over = await get('/api/v1/feeds/articles.rss?limit=101');
  t.equal(over.statusCode, 400);
  t.ok(over.json().errors['query.limit'], 'limit over 100 is a 400 keyed on it');
  t.equal((await get('/api/v1/feeds/articles.atom?limit=0')).statusCode, 400);
  t.equal((await get('/api/v1/feeds/articles.atom?category=khong-co')).statusCode, 404, 'an unknown category names nothing');
});

t.test('ETag and Last-Modified answer 304, cached or not, with CORS', async (t) => {
  for (const url of ['/api/v1/feeds/articles.rss', '/api/v1/feeds/articles.atom', '/api/v1/feeds/articles.json']) {
    const first = await get(url, { origin: ORIGIN });
    t.equal(first.headers['access-control-allow-origin'], ORIGIN, `${url}: CORS`);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    t.match(lastModified, RFC822, 'Last-Modified is an HTTP date');
    t.ok(String(first.headers['surrogate-key']).split(' ').includes(`article-${a.id}`), 'surrogate keys name the articles');
    const hit = await get(url, { origin: ORIGIN });
    t.equal(hit.headers['x-cache'], 'hit');
    t.equal(hit.headers['access-control-allow-origin'], ORIGIN, 'CORS on a hit');
    t.equal((await get(url, { 'if-none-match': etag })).statusCode, 304, 'If-None-Match');
    t.equal((await get(url, { 'if-modified-since': lastModified })).statusCode, 304, 'If-Modified-Since');
    t.equal((await get(url, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).statusCode, 200, 'an older date gets the feed');
    t.equal((await get(url, { 'if-none-match': '"other"', 'if-modified-since': lastModified })).statusCode, 200, 'If-None-Match wins over If-Modified-Since');
  }
  // The same on a miss (a URL not asked for before): decided on send, not only by the cache.
  const miss = await get('/api/v1/feeds/articles.rss?limit=7');
  t.not(miss.headers['x-cache'], 'hit');
  t.equal((await get('/api/v1/feeds/articles.rss?limit=8', { 'if-modified-since': String(miss.headers['last-modified']) })).statusCode, 304, 'If-Modified-Since on a miss');
});

t.test('a publish or an unpublish changes the feeds at once, and moves Last-Modified', async (t) => {
  const before = await get('/api/v1/feeds/articles.rss');
  t.equal((await get('/api/v1/feeds/articles.rss')).headers['x-cache'], 'hit');
  // Past the second of Last-Modified, which HTTP dates cannot split.
  await new Promise((r) => setTimeout(r, 1100));
  t.equal((await transition(ta, 'editor', b.id, 'unpublish')).statusCode, 200);
  const after = await get('/api/v1/feeds/articles.rss', { 'if-modified-since': String(before.headers['last-modified']) });
  t.equal(after.statusCode, 200, 'an item left: not a 304');
  t.notMatch(after.body, 'Bài không chuyên mục');
  t.ok(Date.parse(String(after.headers['last-modified'])) > Date.parse(String(before.headers['last-modified'])));
  const c = await articleIn(ta, 'published', { title: 'Tin mới nhất' });
  const again = parseXml((await get('/api/v1/feeds/articles.rss')).body).rss.channel.item as Parsed[];
  t.equal(again[0].title, 'Tin mới nhất');
  t.equal(again[0].guid['#text'], `${api}/api/v1/articles/${c.id}`);
});
