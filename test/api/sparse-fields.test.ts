// `fields` (API.md §10) on every list and record, public and staff, in both list dialects: just
// those fields (`id` always), a 400 keyed on `fields` for any other name, and answers, ETags and
// the public cache that vary by it.
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { parseListQuery } from '../../src/lib/list-query.js';
import { buildListPlan } from '../../src/lib/list-sql.js';
import { parseFields } from '../../src/lib/sparse-fields.js';
import { livePageJsonQuery, publicArticleListSpec } from '../../src/modules/articles/article-reads.queries.js';
import { visibleAt } from '../../src/modules/articles/live.queries.js';
import { PUBLIC_ARTICLE_FIELDS, publicLinks } from '../../src/modules/articles/public-article.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự' } })).json();
const body = '<p>Nội dung dài của bài viết về Tân Hồng.</p>';
const a = await articleIn(ta, 'published', { summary: 'Tóm tắt', body, categoryId: category.id, tags: ['Đồng Tháp'] });
await articleIn(ta, 'published', { summary: 'Tóm tắt 2', body, categoryId: category.id });

const TEASER = 'id,title,slug,summary,publishedAt,category,cover,url';
const get = (as: 'editor' | 'admin' | null, url: string, headers: Record<string, string> = {}) => ta.req(as, { method: 'GET', url, headers });
const keysOf = (o: object) => Object.keys(o).sort();

t.test('a public list in either dialect holds only the fields asked for, in the record order', async (t) => {
  for (const url of [`/api/v1/articles?fields=${TEASER}`, `/api/v1/articles?range=[0,9]&sort=["publishedAt","DESC"]&fields=${TEASER}`, `/api/v1/articles?_start=0&_end=10&fields=${TEASER}`]) {
    const res = await get(null, url);
    t.equal(res.statusCode, 200, url);
    const items = res.json();
    t.equal(items.length, 2);
    for (const item of items) t.same(Object.keys(item), ['id', 'title', 'slug', 'url', 'summary', 'category', 'cover', 'publishedAt'], url);
    t.notMatch(res.body, /Nội dung dài/, 'no body is sent');
    t.equal(res.headers['x-total-count'], '2');
  }
  const full = (await get(null, '/api/v1/articles')).json();
  const lean = (await get(null, `/api/v1/articles?fields=${TEASER}`)).json();
  t.same(lean[0], { id: full[0].id, title: full[0].title, slug: full[0].slug, url: full[0].url, summary: full[0].summary, category: full[0].category, cover: null, publishedAt: full[0].publishedAt }, 'the same values as the full record');
});

t.test('the teaser page does not read the bodies: its SQL names no body column', async (t) => {
  const spec = publicArticleListSpec;
  const plan = await buildListPlan(parseListQuery({}, spec), spec, visibleAt(new Date()));
  const links = publicLinks(ta.app.ctx);
  const fields = parseFields(TEASER, PUBLIC_ARTICLE_FIELDS)!;
  const teaser = livePageJsonQuery(ta.app.ctx.db, plan, links, fields).toSQL().sql;
  const full = livePageJsonQuery(ta.app.ctx.db, plan, links).toSQL().sql;
  t.match(full, /"article_live"\."body"/, 'the full page reads them');
  t.notMatch(teaser, /"body"/, 'the teaser page does not');
  t.notMatch(teaser, /"credits"|"tags"|'seo'/);
});

t.test('id is always sent', async (t) => {
  const res = await get(null, '/api/v1/articles?fields=title');
  t.same(res.json().map(keysOf), [['id', 'title'], ['id', 'title']]);
  const one = await get(null, `/api/v1/articles/${a.slug}?fields=title`);
  t.same(one.json(), { id: a.id, title: a.title });
});

t.test('a public record, a staff list and a staff record', async (t) => {
  const pub = await get(null, `/api/v1/articles/${a.id}?fields=slug,tags`);
  t.same(pub.json(), { id: a.id, slug: a.slug, tags: ['Đồng Tháp'] });
  const staffList = await get('editor', '/api/v1/articles?fields=status,version&_sort=id&_order=asc');
  t.equal(staffList.statusCode, 200);
  t.same(staffList.json().map(keysOf), [['id', 'status', 'version'], ['id', 'status', 'version']]);
  t.equal(staffList.headers['x-total-count'], '2');
  const staffSimple = await get('editor', `/api/v1/articles?range=[0,0]&sort=["id","ASC"]&filter={"status":"published"}&fields=status`);
  t.same(staffSimple.json(), [{ id: a.id, status: 'published' }]);
  const staffOne = await get('editor', `/api/v1/articles/${a.id}?fields=live,status`);
  t.same(keysOf(staffOne.json()), ['id', 'live', 'status']);
});

t.test('every other list and record takes it', async (t) => {
  const cases: Array<[('editor' | 'admin' | null), string, string[]]> = [
    [null, '/api/v1/categories?fields=name', ['id', 'name']],
    [null, `/api/v1/categories/${category.slug}?fields=slug`, ['id', 'slug']],
    ['admin', '/api/v1/users?fields=email,role', ['email', 'id', 'role']],
    ['admin', '/api/v1/users?range=[0,1]&fields=email', ['email', 'id']],
    ['admin', `/api/v1/users/${ta.users.author.id}?fields=name`, ['id', 'name']],
    ['editor', `/api/v1/articles/${a.id}/revisions?fields=createdAt`, ['createdAt', 'id']],
    ['editor', `/api/v1/articles/${a.id}/revisions/1?fields=content`, ['content', 'id']],
    ['editor', `/api/v1/articles/${a.id}/history?fields=action`, ['action', 'id']],
    ['editor', `/api/v1/articles/${a.id}/preview-links?fields=expiresAt`, []],
  ];
  for (const [as, url, keys] of cases) {
    const res = await get(as, url);
    t.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    const json = res.json();
    for (const item of Array.isArray(json) ? json : [json]) t.same(keysOf(item), keys, url);
  }
});

t.test('an unknown, private or inherited name is a 400 keyed on fields', async (t) => {
  const cases: Array<[('editor' | 'admin' | null), string]> = [
    [null, '/api/v1/articles?fields=id,nope'],
    [null, '/api/v1/articles?fields=status'],
    [null, '/api/v1/articles?fields=version'],
    [null, `/api/v1/articles/${a.id}?fields=authorId`],
    [null, '/api/v1/categories?fields=constructor'],
    [null, '/api/v1/articles?fields=__proto__'],
    [null, '/api/v1/articles?fields=toString,hasOwnProperty'],
    [null, '/api/v1/articles?fields=searchVector'],
    [null, '/api/v1/articles?fields=id,,title'],
    [null, '/api/v1/articles?fields=title&fields=slug'],
    ['admin', '/api/v1/users?fields=passwordHash'],
    ['admin', `/api/v1/users/${ta.users.author.id}?fields=__proto__`],
    ['admin', '/api/v1/webhooks?fields=secret'],
    ['editor', '/api/v1/articles?fields=searchVector'],
    ['editor', `/api/v1/articles?range=[0,9]&fields=constructor`],
  ];
  for (const [as, url] of cases) {
    const res = await get(as, url);
    t.equal(res.statusCode, 400, url);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url);
    t.ok(res.json().errors?.['query.fields'], `${url}: ${res.body}`);
    t.match(res.json().detail, /fields/, 'a message a person can read');
  }
});

t.test('the ETag varies by fields; the order of the names does not change the answer', async (t) => {
  const all = await get(null, `/api/v1/articles/${a.id}`);
  const some = await get(null, `/api/v1/articles/${a.id}?fields=title,slug`);
  const swapped = await get(null, `/api/v1/articles/${a.id}?fields=slug,title`);
  t.not(all.headers.etag, some.headers.etag);
  t.equal(some.body, swapped.body);
  t.equal(some.headers.etag, swapped.headers.etag);
  const lists = await Promise.all(['', '?fields=title', '?fields=slug'].map((q) => get(null, `/api/v1/articles${q}`)));
  t.equal(new Set(lists.map((r) => r.headers.etag)).size, 3, 'three lists, three ETags');
  const notModified = await get(null, `/api/v1/articles/${a.id}?fields=title,slug`, { 'if-none-match': String(some.headers.etag) });
  t.equal(notModified.statusCode, 304);
  const other = await get(null, `/api/v1/articles/${a.id}?fields=title`, { 'if-none-match': String(some.headers.etag) });
  t.equal(other.statusCode, 200, 'another field set does not match that ETag');
  const staff = await Promise.all(['', '?fields=title'].map((q) => get('editor', `/api/v1/articles/${a.id}${q}`)));
  t.not(staff[0].headers.etag, staff[1].headers.etag, 'staff ETags vary too');
});

t.test('the public cache keeps each field set apart', async (t) => {
  for (const url of [`/api/v1/articles/${a.id}`, '/api/v1/articles', '/api/v1/categories']) {
    const full = await get(null, url);
    const again = await get(null, url);
    t.equal(again.headers['x-cache'], 'hit', `${url} is cached`);
    const lean = await get(null, `${url}?fields=updatedAt`);
    t.not(lean.headers['x-cache'], 'hit', `a field set is not served the full answer ${JSON.stringify(lean.headers)} ${lean.body}`);
    t.not(lean.body, full.body);
    const leanAgain = await get(null, `${url}?fields=updatedAt`);
    t.equal(leanAgain.headers['x-cache'], 'hit');
    t.equal(leanAgain.body, lean.body, 'and is cached as itself');
    const fullAgain = await get(null, url);
    t.equal(fullAgain.body, full.body, 'the full answer is still the full answer');
  }
});
