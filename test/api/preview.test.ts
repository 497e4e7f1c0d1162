import { PassThrough } from 'node:stream';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock, eventually } from '../helpers/clock.js';
import { createTestDatabase } from '../helpers/database.js';

// Expiry is a rule about time: links expire by the service's clock, which the test moves on.
const clock = createClock();
const ta = await createTestApp({ PUBLIC_URL: 'https://api.baodongthap.vn', SCHEDULER_INTERVAL_MS: '0' }, { clock });
t.teardown(() => ta.close());

const makeLink = (as: 'author' | 'author2' | 'editor' | 'admin' | null, id: number, payload: object = {}) =>
  ta.req(as, { method: 'POST', url: `/api/v1/articles/${id}/preview-links`, payload });
const open = (token: string, remoteAddress = '127.0.0.1') => ta.app.inject({ method: 'GET', url: `/api/v1/preview/${token}`, remoteAddress });

t.test('a link shows the current working copy of its article only, in the public shape', async (t) => {
  const a = await articleIn(ta, 'draft', { title: 'Bản nháp xem trước', tags: ['Tân Hồng'] });
  const res = await makeLink('author', a.id);
  t.equal(res.statusCode, 201, res.body);
  const link = res.json();
  t.match(link, { id: Number, articleId: a.id, token: /^tsp_[A-Za-z0-9_-]{43}$/, expiresAt: String });
  t.equal(link.url, `https://api.baodongthap.vn/api/v1/preview/${link.token}`);
  const expires = Date.parse(link.expiresAt) - clock.now().getTime();
  t.ok(expires > 3590_000 && expires <= 3600_000, 'default lifetime is one hour');

  const view = await open(link.token);
  t.equal(view.statusCode, 200);
  t.equal(view.headers['cache-control'], 'private, no-store');
  t.equal(view.headers['x-robots-tag'], 'noindex, nofollow');
  t.same(Object.keys(view.json()).sort(), ['body', 'category', 'categoryId', 'cover', 'coverMediaId', 'credits', 'id', 'publishedAt', 'seo', 'slug', 'summary', 'tags', 'title', 'updatedAt', 'url']);
  t.equal(view.json().title, 'Bản nháp xem trước');

  await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Đã sửa sau khi tạo link' } });
  t.equal((await open(link.token)).json().title, 'Đã sửa sau khi tạo link', 'edits made after the link are visible');
  t.equal((await ta.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).statusCode, 404, 'the public API still hides the draft');
  t.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/articles' })).json().length, 0);
});

t.test('expired, revoked, unknown and malformed tokens: one and the same 404', async (t) => {
  const a = await articleIn(ta, 'in_review');
  const short = (await makeLink('editor', a.id, { expiresIn: 600 })).json();
  const revoked = (await makeLink('editor', a.id, { expiresIn: 7200 })).json();
  t.equal((await open(short.token)).statusCode, 200);
  const del = await ta.req('editor', { method: 'DELETE', url: `/api/v1/articles/${a.id}/preview-links/${revoked.id}` });
  t.equal(del.statusCode, 200);
  t.ok(del.json().revokedAt);
  t.notOk('token' in del.json());
  clock.advance(540_000);
  t.equal((await open(short.token)).statusCode, 200, 'open a minute before it expires');
  clock.advance(60_000);
  const bodies = [];
  for (const token of [short.token, revoked.token, `tsp_${'A'.repeat(43)}`, 'not-a-token', '%00%2e%2e']) {
    const res = await open(token, '10.9.0.1');
    t.equal(res.statusCode, 404, token);
    bodies.push(res.body);
  }
  t.equal(new Set(bodies).size, 1, 'the same body every time');
  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/articles/${a.id}/preview-links/${revoked.id}` })).statusCode, 404);
});

t.test('archiving and deleting revoke links for good', async (t) => {
  const a = await articleIn(ta, 'draft');
  const link = (await makeLink('author', a.id)).json();
  await transition(ta, 'editor', a.id, 'archive');
  t.equal((await open(link.token)).statusCode, 404);
  await transition(ta, 'editor', a.id, 'restore');
  t.equal((await open(link.token)).statusCode, 404, 'restoring does not bring them back');
  t.equal((await makeLink('editor', a.id)).statusCode, 201);
  const b = await articleIn(ta, 'draft');
  const l2 = (await makeLink('author', b.id)).json();
  await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${b.id}` });
  t.equal((await open(l2.token)).statusCode, 404);
  const c = await articleIn(ta, 'archived');
  t.equal((await makeLink('editor', c.id)).statusCode, 409);
});

t.test('who may make, list and revoke links', async (t) => {
  const a = await articleIn(ta, 'draft', {}, 'author2');
  t.equal((await makeLink(null, a.id)).statusCode, 401);
  const byAuthor = await makeLink('author', a.id);
  t.equal(byAuthor.statusCode, 201, 'any staff member who may read the working copy');
  const byEditor = (await makeLink('editor', a.id)).json();
  t.equal((await makeLink('author', 999999)).statusCode, 404);
  t.equal((await makeLink('author', a.id, { expiresIn: 604_801 })).statusCode, 400);
  t.equal((await makeLink('author', a.id, { expiresIn: 604_800 })).statusCode, 201);
  t.equal((await makeLink('author', a.id, { expiresIn: 'soon' })).statusCode, 400);

  const list = await ta.req('author', { method: 'GET', url: `/api/v1/articles/${a.id}/preview-links` });
  t.equal(list.statusCode, 200);
  t.equal(list.json().length, 3);
  t.notMatch(list.body, /tsp_|token/i, 'no token in lists');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}/preview-links` })).statusCode, 401);

  t.equal((await ta.req('author', { method: 'DELETE', url: `/api/v1/articles/${a.id}/preview-links/${byEditor.id}` })).statusCode, 403, "an author cannot revoke an editor's link");
  t.equal((await ta.req('author', { method: 'DELETE', url: `/api/v1/articles/${a.id}/preview-links/${byAuthor.json().id}` })).statusCode, 200, 'its creator can');
  t.equal((await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${a.id}/preview-links/${byEditor.id}` })).statusCode, 200);
});

t.test('guessing is rate-limited per client address', async (t) => {
  for (let i = 0; i < 30; i++) t.equal((await open(`tsp_${String(i).padStart(43, 'x')}`, '10.8.0.1')).statusCode, 404);
  const locked = await open('whatever', '10.8.0.1');
  t.equal(locked.statusCode, 429);
  t.ok(Number(locked.headers['retry-after']) > 0);
  t.equal((await open('whatever', '10.8.0.2')).statusCode, 404, 'other clients are not affected');
});

t.test('parallel guesses get no more lookups than the budget; hits cost nothing', async (t) => {
  const a = await articleIn(ta, 'draft');
  const link = (await makeLink('editor', a.id)).json();
  const guesses = await Promise.all(Array.from({ length: 60 }, (_, i) => open(`tsp_${String(i).padStart(43, 'g')}`, '10.8.1.1')));
  const misses = guesses.filter((r) => r.statusCode === 404).length;
  t.ok(misses <= 30, `lookups answered: ${misses}`);
  t.equal(misses + guesses.filter((r) => r.statusCode === 429).length, 60, 'every other guess is refused unchecked');
  t.equal((await open(link.token, '10.8.1.1')).statusCode, 429, 'a locked client cannot use even a good token');
  t.equal((await open(link.token, '2001:db8:8:1::1')).statusCode, 200);
  const views = [];
  for (let i = 0; i < 35; i++) views.push((await open(link.token, '2001:db8:8:1::2')).statusCode);
  t.same(new Set(views), new Set([200]), 'a website server showing a preview again and again is never locked');
  const rotating = await Promise.all(Array.from({ length: 40 }, (_, i) => open(`tsp_${String(i).padStart(43, 'r')}`, `2001:db8:8:2::${i.toString(16)}`)));
  t.ok(rotating.filter((r) => r.statusCode === 404).length <= 30, 'rotating through one /64 does not reset the budget');
});

t.test('disabling or deleting the maker revokes their links; a role change does not', async (t) => {
  const a = await articleIn(ta, 'draft');
  const makers = [];
  for (const name of ['mai', 'tuan']) {
    const email = `${name}@toasoan.test`;
    const created = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email, password: `${name}-password-1`, role: 'author' } });
    const login = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: `${name}-password-1` }, remoteAddress: '10.8.2.1' });
    const link = (await ta.app.inject({ method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: { expiresIn: 604_800 }, headers: { authorization: `Bearer ${login.json().token}` } })).json();
    makers.push({ id: created.json().id as number, link });
  }
  const [mai, tuan] = makers;
  const editorsLink = (await makeLink('editor', a.id)).json();
  const patch = (id: number, payload: object) => ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${id}`, payload });

  t.equal((await patch(mai.id, { role: 'editor' })).statusCode, 200);
  t.equal((await open(mai.link.token)).statusCode, 200, 'a role change keeps the links (API.md §5 names disabling and deleting)');
  t.equal((await patch(mai.id, { disabled: true })).statusCode, 200);
  t.equal((await open(mai.link.token)).statusCode, 404, 'disabled: the link is dead');
  const list = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/preview-links` })).json() as Array<{ id: number; revokedAt: string | null }>;
  t.ok(list.find((l) => l.id === mai.link.id)?.revokedAt, 'and shown as revoked');
  t.equal((await patch(mai.id, { disabled: false })).statusCode, 200);
  t.equal((await open(mai.link.token)).statusCode, 404, 'enabling the user again does not bring it back');

  t.equal((await ta.req('admin', { method: 'DELETE', url: `/api/v1/users/${tuan.id}` })).statusCode, 200);
  t.equal((await open(tuan.link.token)).statusCode, 404, 'deleted: the link is dead');
  t.equal((await open(editorsLink.token)).statusCode, 200, "other users' links live on");
});

t.test('PREVIEW_URL_TEMPLATE fills token, slug and id', async (t) => {
  const other = await ta.secondInstance({ PREVIEW_URL_TEMPLATE: 'https://baodongthap.vn/api/draft?token={token}&slug={slug}&id={id}', SCHEDULER_INTERVAL_MS: '0' });
  const a = await articleIn(ta, 'draft', { title: 'Kỳ họp lần thứ 9' });
  const res = await other.inject({ method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: {}, headers: { authorization: `Bearer ${ta.users.editor.token}` } });
  const link = res.json();
  t.equal(link.url, `https://baodongthap.vn/api/draft?token=${link.token}&slug=ky-hop-lan-thu-9&id=${a.id}`);
});

t.test('tokens never reach the logs', async (t) => {
  const tdb = await createTestDatabase();
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const config = parseConfig({ LOG_LEVEL: 'info', SCHEDULER_INTERVAL_MS: '0', ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) });
  const app = await buildApp(config, { database: tdb.database, migrate: false, logStream: stream });
  t.teardown(async () => {
    await app.close();
    await tdb.drop();
  });
  const { createUser } = await import('../../src/modules/users/users.service.js');
  await createUser(app.ctx, { email: 'log@toasoan.test', password: 'log-password-1', role: 'editor' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'log@toasoan.test', password: 'log-password-1' } });
  const bearer = login.json().token as string;
  const art = await app.inject({ method: 'POST', url: '/api/v1/articles', payload: { title: 'Log' }, headers: { authorization: `Bearer ${bearer}` } });
  const link = await app.inject({ method: 'POST', url: `/api/v1/articles/${art.json().id}/preview-links`, payload: {}, headers: { authorization: `Bearer ${bearer}` } });
  const token = link.json().token as string;
  await app.inject({ method: 'GET', url: `/api/v1/preview/${token}` });
  await app.inject({ method: 'GET', url: `/api/v1/preview/${token}x` });
  // Other spellings that reach the same route, and tokens where no route expects them.
  const encoded = await app.inject({ method: 'GET', url: `/api/v1/%70review/${token}` });
  t.equal(encoded.statusCode, 200, 'the router decodes %70review: the request opens the preview');
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/preview/%74${token.slice(1)}` })).statusCode, 200);
  await app.inject({ method: 'GET', url: `/api/v1/%70review/${token.slice(0, 20)}%${token.charCodeAt(20).toString(16)}${token.slice(21)}` });
  await app.inject({ method: 'GET', url: `/api/v1/nowhere/${token}?token=${token}` });
  await app.inject({ method: 'GET', url: `/api/v1/categories?access_token=${bearer}`, headers: { authorization: `Bearer ${bearer}` } });
  // The log is written asynchronously: wait until the last request's line is there.
  const requests = 10; // the login, the article, the link and the seven requests above
  t.ok(await eventually(() => (lines.join('').match(/request completed/g) ?? []).length >= requests), 'every request was logged');
  const log = lines.join('');
  t.match(log, /\/api\/v1\/preview\/\*\*\*/, 'preview URLs are logged masked');
  t.match(log, /incoming request/, 'requests were logged');
  t.notMatch(log, token.slice(4, 20), 'no preview token');
  t.notMatch(log, bearer.slice(4, 20), 'no bearer token');
  t.notMatch(log, 'log-password-1', 'no password');
});
