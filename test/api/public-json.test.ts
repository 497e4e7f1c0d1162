// The public endpoints send JSON that PostgreSQL writes (src/modules/articles/public-json.ts).
// It must be the very record toPublicArticle makes, field for field (in the schema's order), for
// every kind of article: with and without category, cover, renditions, credits and tags, with
// quotes, backslashes, control characters, emoji and Vietnamese, and with timestamps finer than
// JavaScript's milliseconds.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { toPublicArticle } from '../../src/modules/articles/articles.mappers.js';
import { findLiveArticle } from '../../src/modules/articles/articles.queries.js';
import { PublicArticle } from '../../src/modules/articles/articles.schemas.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn', PUBLIC_CACHE: 'off', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());
const { ctx } = ta.app;

/** What the record mapper makes of the same live version, as it would go over the wire. */
const mapped = async (id: number) => {
  const row = await findLiveArticle(ctx.db, { id }, ctx.now());
  return JSON.parse(JSON.stringify(toPublicArticle(row!, ctx.mediaUrls)));
};

const cover = (await upload(ta, 'editor', { filename: 'anh-bia.jpg', data: await jpegWithGps(1200, 800) }, { alt: 'Ảnh "bìa" \\ Tân Hồng', caption: 'Chú thích\tcó tab', credit: 'Ảnh: Chí Dũng' })).json();
const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin hoạt động' } })).json();

const kinds: Array<[string, object]> = [
  ['the sample article, full', {
    title: 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng', summary: 'Sáng 25/11, Huyện ủy Tân Hồng tổ chức kỳ họp.',
    body: '<p>Đồng chí Nguyễn Văn A phát biểu "chỉ đạo" tại kỳ họp \\ nhiệm kỳ 2020–2025 🇻🇳</p>\n<p>Dòng hai</p>',
    categoryId: category.id, coverMediaId: cover.id, tags: ['Tân Hồng', 'Đảng bộ'],
    credits: [{ role: 'editor', name: 'Kim Lệ' }, { role: 'photographer', name: 'Chí Dũng' }],
  }],
  ['bare: no category, cover, tags or credits', { title: 'Tin ngắn' }],
  ['control characters and line separators', { title: 'Ký tự \u2028 đặc biệt', summary: 'a\u0001b\u001fc\bd\fe', body: '<p>x</p>' }],
];

for (const [name, payload] of kinds) {
  t.test(name, async (t) => {
    const a = await articleIn(ta, 'published', payload);
    const expected = await mapped(a.id);
    for (const url of [`/api/v1/articles/${a.slug}`, `/api/v1/articles/${a.id}`]) {
      const res = await ta.app.inject({ method: 'GET', url });
      t.equal(res.statusCode, 200);
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      t.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
      t.same(res.json(), expected, url);
      t.same(Object.keys(res.json()), Object.keys(PublicArticle.properties), 'the fields of the schema, in its order');
    }
    const list = await ta.app.inject({ method: 'GET', url: `/api/v1/articles?id=${a.id}` });
    t.same(list.json(), [expected], 'and in lists');
  });
}

t.test('timestamps finer than a millisecond are cut as JavaScript cuts them', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Giờ chính xác' });
  await ctx.db.execute(sql`UPDATE article_live SET published_at = '2026-03-04 05:06:07.123999+00', updated_at = '2026-03-04 05:06:07.000001+00' WHERE article_id = ${a.id}`);
  const got = (await ta.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal(got.publishedAt, '2026-03-04T05:06:07.123Z');
  t.equal(got.updatedAt, '2026-03-04T05:06:07.000Z');
  t.same(got, await mapped(a.id));
});

t.test('an empty page is an empty array; HEAD and 304 work on these bytes', async (t) => {
  const empty = await ta.app.inject({ method: 'GET', url: '/api/v1/articles?q=khongcotudaynao' });
  t.equal(empty.body, '[]');
  t.equal(empty.headers['x-total-count'], '0');
  const page = await ta.app.inject({ method: 'GET', url: '/api/v1/articles?_start=0&_end=2' });
  t.equal(page.json().length, 2);
  const nm = await ta.app.inject({ method: 'GET', url: '/api/v1/articles?_start=0&_end=2', headers: { 'if-none-match': page.headers.etag as string } });
  t.equal(nm.statusCode, 304);
  const head = await ta.app.inject({ method: 'HEAD', url: '/api/v1/articles?_start=0&_end=2' });
  t.equal(head.statusCode, 200);
  t.equal(Number(head.headers['content-length']), Buffer.byteLength(page.body));
});
