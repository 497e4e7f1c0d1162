// Article lists and the public article send JSON that PostgreSQL writes
// (src/modules/articles/article-json.ts, public-article.ts). It must be the very record that the
// staff mapper and Fastify's serializer make of the same article (toStaffArticle, as a staff GET
// of one article sends it; for the public article, cut to its fields), field for field in the
// schema's order, for every kind of article: with and without category, cover, renditions,
// credits and tags, with quotes, backslashes, control characters, emoji and Vietnamese, and with
// timestamps finer than JavaScript's milliseconds.
import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { Article, PublicArticle } from '../../src/modules/articles/articles.schemas.js';
import { PUBLIC_ARTICLE_FIELDS } from '../../src/modules/articles/public-article.js';
import { fillUrlTemplate } from '../../src/lib/url-template.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn', PUBLIC_CACHE: 'off', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());
const { ctx } = ta.app;

/**
 * The public fields of the same article as the staff mapper and serializer send it: just after
 * publication the live version is the working copy (same content, same times).
 */
const mapped = async (id: number) => {
  const staff = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${id}` })).json();
  // The two fields the staff shape has not as such: where the site shows it, and the SEO settings resolved.
  const url = fillUrlTemplate(ta.config.site.articleUrl, { id: String(id), slug: staff.slug, category: staff.category?.slug });
  const image = staff.cover && { id: staff.cover.id, url: staff.cover.url, width: staff.cover.width, height: staff.cover.height, alt: staff.cover.alt };
  const seo = {
    title: staff.seo.title || staff.title, description: staff.seo.description || staff.summary, canonicalUrl: staff.seo.canonicalUrl || url,
    noindex: staff.seo.noindex, image,
  };
  const derived: Record<string, unknown> = { url, seo };
  return Object.fromEntries(PUBLIC_ARTICLE_FIELDS.map((k) => [k, Object.hasOwn(derived, k) ? derived[k] : staff[k]]));
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
  t.same({ ...got, publishedAt: 0, updatedAt: 0 }, { ...(await mapped(a.id)), publishedAt: 0, updatedAt: 0 });
});

/** Counts the JSON statements the service runs until the test ends. */
function countStatements(t: Test) {
  const statements = { count: 0 };
  const textRows = ctx.database.textRows;
  ctx.database.textRows = (query, opts) => {
    statements.count++;
    return textRows(query, opts);
  };
  t.teardown(() => {
    ctx.database.textRows = textRows;
  });
  return statements;
}

// Concurrent reads of articles share statements (findLiveArticleJson): every request must still
// get its own article, and a key that names none must not disturb the others.
t.test('concurrent readers each get their own article, from fewer statements than requests', async (t) => {
  const published = [];
  for (const title of ['Đọc cùng lúc một', 'Đọc cùng lúc hai', 'Đọc cùng lúc ba']) published.push(await articleIn(ta, 'published', { title }));
  const draft = await articleIn(ta, 'draft', { title: 'Bản nháp chưa đăng' });
  const expected = new Map<string, { status: number; body?: unknown }>();
  const urls: string[] = [];
  for (const a of published) {
    const body = await mapped(a.id);
    for (const key of [a.slug, String(a.id)]) {
      expected.set(`/api/v1/articles/${key}`, { status: 200, body });
      urls.push(`/api/v1/articles/${key}`, `/api/v1/articles/${key}`);
    }
  }
  for (const key of [String(draft.id), draft.slug, 'khong-co-bai-nay', published[0].slug.toUpperCase(), '2147483648', '9999999999', 'a%00b', '0']) {
    expected.set(`/api/v1/articles/${key}`, { status: 404 });
    urls.push(`/api/v1/articles/${key}`);
  }
  const statements = countStatements(t);
  // Interleaved, so that no two neighbours ask for the same thing.
  const order = urls.map((u, i) => urls[(i * 7) % urls.length]);
  const answers = await Promise.all(order.map((url) => ta.app.inject({ method: 'GET', url })));
  for (const [i, res] of answers.entries()) {
    const want = expected.get(order[i])!;
    t.equal(res.statusCode, want.status, order[i]);
    if (want.body) t.same(res.json(), want.body, order[i]);
  }
  t.ok(statements.count <= 2, `${order.length} requests, ${statements.count} statements (one for ids, one for slugs)`);
});

// The same public page asked for at once is read once (listArticles, coalesce.ts): each reader
// must still get the page, headers and count of its own URL.
t.test('concurrent readers of the same pages each get their own page, read once per page', async (t) => {
  const urls = ['/api/v1/articles?_start=0&_end=2', '/api/v1/articles?_start=2&_end=4', `/api/v1/articles?category=${category.slug}&_start=0&_end=5`, '/api/v1/articles?_limit=3'];
  const expected = new Map<string, { body: string; total: unknown; link: unknown; range: unknown }>();
  for (const url of urls) {
    const res = await ta.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200);
    expected.set(url, { body: res.body, total: res.headers['x-total-count'], link: res.headers.link, range: res.headers['content-range'] });
  }
  t.equal(new Set([...expected.values()].map((e) => e.body)).size, urls.length, 'four different pages');
  const statements = countStatements(t);
  const order = Array.from({ length: 24 }, (_, i) => urls[i % urls.length]);
  const answers = await Promise.all(order.map((url) => ta.app.inject({ method: 'GET', url })));
  for (const [i, res] of answers.entries()) {
    const want = expected.get(order[i])!;
    t.equal(res.statusCode, 200);
    t.same({ body: res.body, total: res.headers['x-total-count'], link: res.headers.link, range: res.headers['content-range'] }, want, order[i]);
  }
  // Per page: its rows, and the change stamp that tells whether its cached count still holds.
  t.ok(statements.count <= 2 * urls.length, `${order.length} requests of ${urls.length} pages, ${statements.count} statements`);
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

// Staff lists: the SQL-built working copy against the one-article GET (mapper and schema
// serializer), in every workflow state, live or not, with a live version older than the working copy.
t.test('staff lists send the record a staff GET of the article sends', async (t) => {
  const [full] = kinds;
  const published = await articleIn(ta, 'published', full[1]);
  // Edited after publication: the working copy and the live version differ.
  const current = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${published.id}` })).json();
  const edited = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${published.id}`, payload: { summary: 'Bản sửa "mới" \\ tab\t giữa', version: current.version } });
  t.equal(edited.statusCode, 200, edited.body);
  const subMs = await articleIn(ta, 'draft', { title: 'Giờ chính xác (nháp)' });
  await ctx.db.execute(sql`UPDATE articles SET updated_at = '2026-03-04 05:06:07.123999+00', created_at = '2026-03-04 05:06:07.000001+00' WHERE id = ${subMs.id}`);
  const cases = [
    published,
    subMs,
    await articleIn(ta, 'draft', { title: 'Nháp trống' }),
    await articleIn(ta, 'in_review', kinds[2][1]),
    await articleIn(ta, 'approved', { title: 'Đã duyệt', tags: ['Đồng Tháp'] }),
    await articleIn(ta, 'scheduled', { title: 'Hẹn giờ' }),
    await articleIn(ta, 'archived', { title: 'Lưu trữ' }),
  ];
  const unpublished = await articleIn(ta, 'published', { title: 'Gỡ xuống' });
  t.equal((await transition(ta, 'editor', unpublished.id, 'unpublish')).statusCode, 200);
  cases.push(unpublished);
  for (const a of cases) {
    const one = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` });
    t.equal(one.statusCode, 200);
    const list = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?id=${a.id}` });
    t.equal(list.statusCode, 200);
    t.equal(list.headers['content-type'], 'application/json; charset=utf-8');
    t.equal(Number(list.headers['content-length']), Buffer.byteLength(list.body));
    const [record] = list.json();
    t.same(record, one.json(), `article ${a.id}: ${one.json().status}`);
    t.same(Object.keys(record), Object.keys(Article.properties), 'the fields of the schema, in its order');
  }
  const live = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles?id=${published.id}` })).json()[0];
  t.not(live.live, null, 'the published one carries its live version');
  t.equal(live.summary, 'Bản sửa "mới" \\ tab\t giữa', 'and the working copy as edited');
  const sub = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles?id=${subMs.id}` })).json()[0];
  t.equal(sub.updatedAt, '2026-03-04T05:06:07.123Z');
  t.equal(sub.createdAt, '2026-03-04T05:06:07.000Z');
});

t.test('a staff list page by keyset cursor continues where the page before ended', async (t) => {
  const all = (await ta.req('editor', { method: 'GET', url: '/api/v1/articles?_sort=updatedAt&_order=DESC&_limit=1000' })).json();
  const first = await ta.req('editor', { method: 'GET', url: '/api/v1/articles?_sort=updatedAt&_order=DESC&_limit=3' });
  const next = /<([^>]+)>; rel="next"/.exec(first.headers.link as string)![1];
  t.match(next, /_cursor=/);
  const second = await ta.req('editor', { method: 'GET', url: next });
  t.same([...first.json(), ...second.json()].map((a: { id: number }) => a.id), all.slice(0, 6).map((a: { id: number }) => a.id));
});
