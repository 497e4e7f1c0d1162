import t from 'tap';
import { sample } from '../../src/seed/sample-content.js';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

type Who = 'admin' | 'editor' | 'author' | 'author2' | null;
const create = (as: Who, payload: object) => ta.req(as, { method: 'POST', url: '/api/v1/articles', payload });
const patch = (as: Who, id: number, payload: object, headers: Record<string, string> = {}) =>
  ta.req(as, { method: 'PATCH', url: `/api/v1/articles/${id}`, payload, headers });

const parent = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin tức' } })).json();
const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin hoạt động', parentId: parent.id } })).json();

t.test('the sample article round-trips byte-exact', async (t) => {
  const res = await create('author', {
    title: sample.title, summary: sample.summary, body: sample.body, categoryId: category.id, tags: sample.tags, credits: sample.credits,
  });
  t.equal(res.statusCode, 201, res.body);
  const a = res.json();
  t.equal(a.slug, 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong');
  t.equal(a.title, sample.title);
  t.equal(a.summary, sample.summary);
  t.equal(a.body, sample.body, 'clean HTML passes the sanitiser unchanged');
  t.same(a.tags, sample.tags);
  t.same(a.credits, [{ role: 'editor', name: 'Kim Lệ' }, { role: 'photographer', name: 'Chí Dũng' }]);
  t.same(a.category, { id: category.id, name: 'Tin hoạt động', slug: 'tin-hoat-dong' });
  t.match(a, { status: 'draft', authorId: ta.users.author.id, version: 1, live: null, publishedAt: null, cover: null, coverMediaId: null });
  t.equal(res.headers.location, `/api/v1/articles/${a.id}`);
  const bySlug = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.slug}` });
  t.equal(bySlug.statusCode, 200);
  t.equal(Buffer.compare(Buffer.from(bySlug.json().title), Buffer.from(sample.title)), 0);

  const again = await create('editor', { title: sample.title });
  t.equal(again.json().slug, 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong-2', 'a clash gets -2');
  const third = await create('editor', { title: sample.title });
  t.equal(third.json().slug, 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong-3');
  const explicit = await create('editor', { title: 'Khác', slug: 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong' });
  t.equal(explicit.statusCode, 409);
});

t.test('text is stored NFC; emoji survive', async (t) => {
  const nfd = 'Đồng Tháp mùa nước nổi 🌾🚣'.normalize('NFD');
  const res = await create('author', { title: nfd, tags: ['Đồng Tháp'.normalize('NFD'), 'Đồng Tháp', ' Đồng  Tháp '] });
  t.equal(res.json().title, 'Đồng Tháp mùa nước nổi 🌾🚣'.normalize('NFC'));
  t.same(res.json().tags, ['Đồng Tháp'], 'tags are normalised and de-duplicated');
  t.equal(res.json().slug, 'dong-thap-mua-nuoc-noi');
});

t.test('bodies are sanitised', async (t) => {
  const body = [
    '<p onclick="steal()">Xin chào<script>alert(1)</script></p>',
    '<img src="x.jpg" onerror="alert(1)" alt="ảnh">',
    '<a href="javascript:alert(1)">bad</a><a href="https://baodongthap.vn" target="_blank">ok</a>',
    '<iframe src="https://evil.example/x"></iframe>',
    '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
    '<style>body{display:none}</style><svg onload="alert(1)"></svg>',
  ].join('');
  const a = (await create('author', { title: 'Sanitise', body })).json();
  t.notMatch(a.body, /script|onclick|onerror|javascript:|evil\.example|<style|onload|<svg/i);
  t.match(a.body, '<p>Xin chào</p>');
  t.match(a.body, '<img src="x.jpg" alt="ảnh" />');
  t.match(a.body, '<a href="https://baodongthap.vn" target="_blank" rel="noopener noreferrer">ok</a>');
  t.match(a.body, '<iframe src="https://www.youtube.com/embed/abc"></iframe>');
  const upd = await patch('author', a.id, { body: '<p>ok</p><script>x()</script>' });
  t.equal(upd.json().body, '<p>ok</p>', 'also on update');
});

t.test('role matrix for articles', async (t) => {
  const own = (await create('author', { title: 'Bài của tác giả' })).json();
  // Anonymous: no working copy is public; writes need a token.
  t.equal((await create(null, { title: 'x' })).statusCode, 401);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${own.id}` })).statusCode, 404);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${own.slug}` })).statusCode, 404);
  t.equal((await patch(null, own.id, { title: 'x' })).statusCode, 401);
  t.equal((await ta.req(null, { method: 'DELETE', url: `/api/v1/articles/${own.id}` })).statusCode, 401);
  const anonList = await ta.req(null, { method: 'GET', url: '/api/v1/articles' });
  t.equal(anonList.statusCode, 200);
  t.same(anonList.json(), [], 'nothing is live yet');
  t.equal(anonList.headers['x-total-count'], '0');
  t.equal(anonList.headers['content-range'], 'articles */0');

  for (const as of ['author', 'author2', 'editor', 'admin'] as const) {
    t.equal((await create(as, { title: `Tạo bởi ${as}` })).statusCode, 201, `${as} creates`);
    t.equal((await ta.req(as, { method: 'GET', url: `/api/v1/articles/${own.id}` })).statusCode, 200, `${as} reads working copies`);
    const list = await ta.req(as, { method: 'GET', url: '/api/v1/articles' });
    t.ok(list.json().some((a: { id: number }) => a.id === own.id), `${as} lists working copies`);
  }
  t.equal((await patch('author', own.id, { title: 'Sửa bởi tác giả' })).statusCode, 200, 'author edits own draft');
  const other = await patch('author2', own.id, { title: 'Sửa trộm' });
  t.equal(other.statusCode, 403, "author cannot edit another's article");
  t.equal(other.json().code, 'forbidden');
  t.equal((await patch('editor', own.id, { title: 'Sửa bởi biên tập' })).statusCode, 200);
  t.equal((await patch('admin', own.id, { title: 'Sửa bởi quản trị' })).statusCode, 200);

  for (const as of ['author', 'author2', 'editor'] as const) {
    t.equal((await ta.req(as, { method: 'DELETE', url: `/api/v1/articles/${own.id}` })).statusCode, 403, `${as} cannot delete`);
  }
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${own.id}` });
  t.equal(del.statusCode, 200);
  t.equal(del.json().title, 'Sửa bởi quản trị', 'DELETE returns the record');
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/articles/${own.id}` })).statusCode, 404);
});

t.test('status is not a plain field', async (t) => {
  t.equal((await create('author', { title: 'Nháp', status: 'draft' })).statusCode, 201);
  const bad = await create('editor', { title: 'Xuất bản luôn', status: 'published' });
  t.equal(bad.statusCode, 400);
  const a = (await create('editor', { title: 'Bài' })).json();
  const jump = await patch('editor', a.id, { status: 'published', title: 'Đổi tên' });
  t.equal(jump.statusCode, 409);
  t.equal(jump.json().code, 'invalid_transition');
  // The same problem as the transitions endpoint gives: one builder for both.
  const viaAction = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/transitions`, payload: { action: 'publish' } });
  t.equal(viaAction.statusCode, 409);
  const shape = (b: Record<string, unknown>) => ({ ...b, detail: undefined, message: undefined });
  t.same(shape(jump.json()), shape(viaAction.json()), 'same code, allowed actions and current status');
  t.same(jump.json().allowed, ['submit', 'archive']);
  const after = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` });
  t.equal(after.json().title, 'Bài', 'a refused transition changes nothing');
  t.equal(after.json().status, 'draft');
});

t.test('references and fields are validated', async (t) => {
  t.equal((await create('author', { title: '' })).statusCode, 400);
  t.equal((await create('author', { title: '   ' })).statusCode, 400);
  t.equal((await create('author', { title: 'x'.repeat(301) })).statusCode, 400);
  t.equal((await create('author', { title: 'ổn'.repeat(150) })).statusCode, 201, '300 characters of Vietnamese fit');
  t.equal((await create('author', {})).statusCode, 400);
  t.equal((await create('author', { title: 'x', categoryId: 999999 })).statusCode, 400);
  t.equal((await create('author', { title: 'x', coverMediaId: 12345 })).statusCode, 400);
  t.equal((await create('author', { title: 'x', credits: [{ role: 'editor' }] })).statusCode, 400);
  t.equal((await create('author', { title: 'x', tags: 'one' })).statusCode, 400);
  t.equal((await create('author', { title: 'x', wordCount: 3 })).statusCode, 400, 'unknown field');
});

t.test('read-only fields sent back are ignored', async (t) => {
  const a = (await create('author', { title: 'Gửi lại', categoryId: category.id })).json();
  const res = await ta.req('author', {
    method: 'PUT',
    url: `/api/v1/articles/${a.id}`,
    payload: { ...a, id: 99999, authorId: ta.users.admin.id, createdAt: '2000-01-01T00:00:00Z', category: { id: 1, name: 'x', slug: 'x' }, live: { publishedAt: 'x' }, publishedAt: '2001-01-01T00:00:00Z', cover: { url: 'x' }, title: 'Gửi lại (sửa)' },
  });
  t.equal(res.statusCode, 200, res.body);
  const b = res.json();
  t.equal(b.id, a.id);
  t.equal(b.authorId, ta.users.author.id);
  t.equal(b.createdAt, a.createdAt);
  t.equal(b.publishedAt, null);
  t.equal(b.title, 'Gửi lại (sửa)');
  t.equal(b.version, a.version + 1);
  t.same(b.category, a.category);
});

t.test('PUT and PATCH merge', async (t) => {
  const a = (await create('author', { title: 'Gộp', summary: 'Tóm tắt', tags: ['a'] })).json();
  const res = await ta.req('editor', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload: { summary: 'Mới' } });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { title: 'Gộp', summary: 'Mới', tags: ['a'] });
  const same = await ta.req('editor', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload: { summary: 'Mới' } });
  t.equal(same.json().version, res.json().version, 'an update that changes nothing keeps the version');
});

t.test("an author's write to another author's article is 403 even when it changes nothing", async (t) => {
  const a = (await create('author', { title: 'Của người khác', summary: 'Tóm tắt', categoryId: category.id })).json();
  const put = (payload: object, headers: Record<string, string> = {}) => ta.req('author2', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload, headers });
  const attempts: Array<[string, Promise<{ statusCode: number; json(): { code: string } }>]> = [
    ['the whole record sent back unchanged (react-admin)', put(a)],
    ['an empty body', put({})],
    ['unchanged fields', put({ title: a.title, summary: a.summary })],
    ['the current status only', put({ status: a.status })],
    ['a stale version (ownership before the precondition)', put({ title: a.title, version: a.version + 5 })],
    ['a stale If-Match', put({}, { 'if-match': '"999"' })],
    ['a missing category (ownership before validation)', put({ categoryId: 999999 })],
    ['PATCH, unchanged', patch('author2', a.id, { title: a.title })],
  ];
  for (const [what, res] of attempts) {
    const r = await res;
    t.equal(r.statusCode, 403, what);
    t.equal(r.json().code, 'forbidden', what);
  }
  const after = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal(after.version, a.version, 'nothing was written');
  t.equal((await ta.req('author', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload: a })).statusCode, 200, 'its owner may send it back unchanged');
});

t.test('filters: category with sub-categories, tag, author, status, q', async (t) => {
  const sub = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Nông nghiệp', parentId: category.id } })).json();
  const inSub = (await create('author2', { title: 'Lúa mùa nổi', categoryId: sub.id, tags: ['Nông thôn mới'] })).json();
  const inParent = (await create('author2', { title: 'Họp giao ban', categoryId: parent.id, tags: ['Đảng bộ'] })).json();

  const byCat = await ta.req('editor', { method: 'GET', url: '/api/v1/articles?category=tin-hoat-dong&_sort=id' });
  const ids = byCat.json().map((a: { id: number }) => a.id);
  t.ok(ids.includes(inSub.id), 'sub-category included');
  t.notOk(ids.includes(inParent.id), 'parent category excluded');
  const byTop = await ta.req('editor', { method: 'GET', url: '/api/v1/articles?category=tin-tuc' });
  t.ok(byTop.json().some((a: { id: number }) => a.id === inSub.id), 'grand-children included');

  const byTag = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?tag=${encodeURIComponent('Nông thôn mới')}` });
  t.ok(byTag.json().every((a: { tags: string[] }) => a.tags.includes('Nông thôn mới')));
  t.ok(byTag.json().some((a: { id: number }) => a.id === inSub.id));

  const byAuthor = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?authorId=${ta.users.author2.id}` });
  t.ok(byAuthor.json().length >= 2);
  t.ok(byAuthor.json().every((a: { authorId: number }) => a.authorId === ta.users.author2.id));

  const byStatus = await ta.req('editor', { method: 'GET', url: '/api/v1/articles?status=published' });
  t.same(byStatus.json(), []);

  for (const q of ['tan hong', 'Tân Hồng', 'TAN HONG', 'dang bo', 'nong thon moi', 'Đảng']) {
    const res = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent(q)}` });
    t.ok(res.json().some((a: { slug: string }) => a.slug === 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong'), `q=${q} finds the sample`);
  }
  const like = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?title_like=${encodeURIComponent('lua mua')}` });
  t.same(like.json().map((a: { id: number }) => a.id), [inSub.id]);
});

t.test('q ranks title matches first', async (t) => {
  const inBody = (await create('editor', { title: 'Giao thông', body: '<p>Chuyện mưa lũ ở xã Phú Thọ</p>' })).json();
  const inTitle = (await create('editor', { title: 'Mưa lũ ở Phú Thọ', body: '<p>khác</p>' })).json();
  const res = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent('mua lu phu tho')}` });
  t.same(res.json().map((a: { id: number }) => a.id), [inTitle.id, inBody.id]);
  const pct = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?title_like=${encodeURIComponent('%')}` });
  t.same(pct.json(), [], '% is plain text in _like');
  const withPct = (await create('editor', { title: 'Lãi suất 100% 5_2' })).json();
  const pct2 = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?title_like=${encodeURIComponent('100% 5_')}` });
  t.same(pct2.json().map((a: { id: number }) => a.id), [withPct.id]);
});

t.test('q searches as the reader types: the last word may be the start of a word', async (t) => {
  const titled = (await create('editor', { title: 'Hội thi gói bánh tét Cà Mau', body: '<p>khác</p>' })).json();
  const inBody = (await create('editor', { title: 'Chuyện làng', body: '<p>Gói bánh tét ở Cà Mau</p>' })).json();
  const ids = async (q: string, who: 'editor' | null = 'editor') =>
    (await ta.req(who, { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent(q)}` })).json().map((a: { id: number }) => a.id);
  t.same(await ids('banh tet ca m'), [titled.id, inBody.id], 'a word being typed matches the start of a word, titles first');
  t.same(await ids('goi banh tet'), [titled.id, inBody.id]);
  t.same(await ids('ba tet'), [], 'only the last word is a prefix');
  for (const id of [titled.id, inBody.id]) {
    for (const action of ['submit', 'approve', 'publish']) await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action } });
  }
  t.same(await ids('Bánh tét Cà M', null), [titled.id, inBody.id], 'the same for anonymous readers');
  t.same(await ids('ba tet', null), []);

  // Words no article had before: an edit makes them findable by their start, and publishing does for readers.
  t.same(await ids('xeo quy'), []);
  const edited = await patch('editor', inBody.id, { body: '<p>Gói bánh tét ở Xẻo Quýt</p>' });
  t.equal(edited.statusCode, 200, edited.body);
  t.same(await ids('xeo quy'), [inBody.id], 'a word added by an edit');
  t.same(await ids('Xẻo Qu'), [inBody.id]);
  t.same(await ids('xeo quy', null), [], 'the live version does not have it yet');
  for (const action of ['submit', 'approve', 'publish']) await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${inBody.id}/transitions`, payload: { action } });
  t.same(await ids('xeo quy', null), [inBody.id], 'published: readers find it');
});

t.test('concurrent writers adding the same new words in different orders all succeed, and are found', async (t) => {
  // Each new word goes into search_words once; writers that add the same ones must not deadlock.
  const words = Array.from({ length: 30 }, (_, i) => `Vĩnh${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}q`);
  const shuffled = (seed: number) => [...words].sort((a, b) => ((a.charCodeAt(5) * seed) % 31) - ((b.charCodeAt(5) * seed) % 31) || a.localeCompare(b));
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) => create('editor', { title: `Tin ${i} ${shuffled(i + 2).slice(0, 8).join(' ')}`, body: `<p>${shuffled(i + 5).join(' ')}</p>` })),
  );
  t.same(results.map((r) => r.statusCode), Array(16).fill(201), 'every write is committed');
  const ids = results.map((r) => r.json().id).sort((a, b) => a - b);
  for (const w of [words[0], words[17]]) {
    const typed = w.slice(0, -2);
    const found = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent(typed)}&_end=100` })).json();
    t.same(found.map((a: { id: number }) => a.id).sort((a: number, b: number) => a - b), ids, `"${typed}" finds them all`);
  }
});

t.test('q: X-Total-Count counts every match, on every page and past the end (staff and public)', async (t) => {
  const ids: number[] = [];
  for (let i = 1; i <= 5; i++) ids.push((await create('editor', { title: `Đua ghe ngo ${i}`, body: '<p>lễ hội</p>' })).json().id);
  await create('editor', { title: 'Chuyện khác', body: '<p>không liên quan</p>' });
  for (const [start, end, rows] of [[0, 2, 2], [2, 4, 2], [4, 6, 1], [10, 12, 0]] as const) {
    const res = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent('dua ghe')}&_start=${start}&_end=${end}` });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['x-total-count'], '5', `staff page ${start}-${end}: total`);
    t.equal(res.json().length, rows, `staff page ${start}-${end}: rows`);
    t.notOk('totalOfMatches' in (res.json()[0] ?? {}), 'the count is not a field of the records');
  }
  for (const id of ids.slice(0, 3)) {
    for (const action of ['submit', 'approve', 'publish']) await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action } });
  }
  for (const [start, end, rows, range] of [[0, 2, 2, 'articles 0-1/3'], [2, 4, 1, 'articles 2-2/3'], [5, 7, 0, 'articles */3']] as const) {
    const res = await ta.req(null, { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent('Đua ghe')}&_start=${start}&_end=${end}` });
    t.equal(res.headers['x-total-count'], '3', `public page ${start}-${end}: total`);
    t.equal(res.headers['content-range'], range);
    t.equal(res.json().length, rows);
  }
});
