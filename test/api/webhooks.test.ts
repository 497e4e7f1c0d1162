import { Writable } from 'node:stream';
import { DrizzleQueryError, eq } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { webhooks } from '../../src/db/schema/index.js';
import { loggerOptions } from '../../src/logger.js';
import { createTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/clock.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { createHook, deliveriesOf, settled } from '../helpers/webhooks.js';

// No dispatcher in the main instance: the tests that deliver start their own.
const ta = await createTestApp({ WEBHOOK_POLL_MS: '0' });
t.teardown(() => ta.close());

const URL_OK = 'https://hooks.example.invalid/toasoan';
const storedSecret = async (id: number) => (await ta.app.ctx.db.select({ secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, id)))[0]?.secret;

t.test('only admins manage webhooks: 401 anonymous, 403 author and editor', async (t) => {
  const hook = await createHook(ta, URL_OK, ['media.created']);
  const other = await createHook(ta, URL_OK, ['media.created']);
  const ping = (await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/ping` })).json();
  const base = `/api/v1/webhooks/${hook.id}`;
  const cases = [
    { method: 'GET', url: '/api/v1/webhooks' },
    { method: 'GET', url: base },
    { method: 'POST', url: '/api/v1/webhooks', payload: { url: URL_OK, events: ['media.deleted'] } },
    { method: 'PATCH', url: base, payload: { description: 'x' } },
    { method: 'PUT', url: base, payload: { description: 'y' } },
    { method: 'POST', url: `${base}/rotate-secret` },
    { method: 'POST', url: `${base}/ping` },
    { method: 'GET', url: `${base}/deliveries` },
    { method: 'GET', url: `${base}/deliveries/${ping.id}` },
    { method: 'POST', url: `${base}/deliveries/${ping.id}/redeliver` },
    { method: 'DELETE', url: `/api/v1/webhooks/${other.id}` },
  ] as const;
  for (const c of cases) {
    t.equal((await ta.req(null, c)).statusCode, 401, `anonymous ${c.method} ${c.url}`);
    t.equal((await ta.req('author', c)).statusCode, 403, `author ${c.method} ${c.url}`);
    t.equal((await ta.req('editor', c)).statusCode, 403, `editor ${c.method} ${c.url}`);
  }
  const expected = [200, 200, 201, 200, 200, 200, 202, 200, 200, 202, 200];
  for (const [i, c] of cases.entries()) {
    const res = await ta.req('admin', c);
    t.equal(res.statusCode, expected[i], `admin ${c.method} ${c.url}: ${res.body}`);
  }
});

t.test('the secret is shown on create and on rotate only', async (t) => {
  const created = await ta.req('admin', {
    method: 'POST', url: '/api/v1/webhooks',
    payload: { url: URL_OK, events: ['article.published', 'article.updated', 'article.published'], description: '  Trang chủ Tân Hồng ' },
  });
  t.equal(created.statusCode, 201);
  const hook = created.json();
  t.equal(created.headers.location, `/api/v1/webhooks/${hook.id}`);
  t.same(Object.keys(hook).sort(), ['active', 'createdAt', 'description', 'events', 'id', 'secret', 'updatedAt', 'url', 'version']);
  t.match(hook, { url: URL_OK, events: ['article.published', 'article.updated'], active: true, description: 'Trang chủ Tân Hồng', version: 1 });
  t.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  t.equal(await storedSecret(hook.id), hook.secret, 'stored as given, usable for HMAC');

  const one = await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}` });
  t.same(Object.keys(one.json()).sort(), ['active', 'createdAt', 'description', 'events', 'id', 'updatedAt', 'url', 'version']);
  t.match(one.headers.etag, /^"1-/);
  const list = await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks?_end=100' });
  const patched = await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { description: 'Mới' } });
  for (const res of [one, list, patched]) {
    t.notOk(res.body.includes(hook.secret), 'the secret is not in the body');
    t.notMatch(res.body, /secret/i);
  }

  // An admin UI sends back what create returned, secret included: accepted and ignored.
  const put = await ta.req('admin', { method: 'PUT', url: `/api/v1/webhooks/${hook.id}`, payload: { ...hook, version: 2, secret: 'whsec_mine' } });
  t.equal(put.statusCode, 200, put.body);
  t.equal(await storedSecret(hook.id), hook.secret, 'a secret in a body is never written');

  const rotated = await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, headers: { 'if-match': '"3"' } });
  t.equal(rotated.statusCode, 200, rotated.body);
  t.match(rotated.json(), { id: hook.id, version: 4, secret: /^whsec_/ });
  t.not(rotated.json().secret, hook.secret);
  t.equal(await storedSecret(hook.id), rotated.json().secret);
  t.equal((await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, headers: { 'if-match': '"3"' } })).statusCode, 412);
  t.notMatch((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}` })).body, /secret/i);
});

t.test('update merges, guards the version, delete returns the record', async (t) => {
  const hook = await createHook(ta, URL_OK, ['category.created']);
  const patch = await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { active: false } });
  t.match(patch.json(), { active: false, events: ['category.created'], url: URL_OK, version: 2 });
  const stale = await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { active: true, version: 1 } });
  t.equal(stale.statusCode, 412);
  t.equal((await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { active: true }, headers: { 'if-match': '"1"' } })).statusCode, 412);
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}` })).json().active, false, 'a 412 changes nothing');
  t.equal((await ta.req('admin', { method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: { 'if-match': '"1"' } })).statusCode, 412);
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
  t.equal(del.statusCode, 200);
  t.match(del.json(), { id: hook.id, url: URL_OK, version: 2 });
  t.notMatch(del.body, /secret/i);
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}` })).statusCode, 404);
  t.equal((await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { active: true } })).statusCode, 404);
});

t.test('input validation', async (t) => {
  const bad = [
    { events: ['article.published'] },
    { url: URL_OK, events: [] },
    { url: URL_OK, events: ['article.created'] },
    { url: URL_OK, events: ['ping'] },
    { url: URL_OK, events: 'article.published' },
    { url: 'ftp://hooks.example.invalid/', events: ['article.published'] },
    { url: 'not a url', events: ['article.published'] },
    { url: 'https://user:pw@hooks.example.invalid/', events: ['article.published'] },
    { url: URL_OK, events: ['article.published'], color: 'red' },
  ];
  for (const payload of bad) {
    const res = await ta.req('admin', { method: 'POST', url: '/api/v1/webhooks', payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'validation_failed');
  }
});

t.test('private and loopback targets are refused at registration', async (t) => {
  for (const url of ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://192.168.0.10/', 'http://[fd00::1]/', 'http://0.0.0.0/', 'http://localhost:3000/']) {
    const res = await ta.req('admin', { method: 'POST', url: '/api/v1/webhooks', payload: { url, events: ['article.published'] } });
    t.equal(res.statusCode, 400, url);
    t.match(res.json(), { code: 'validation_failed', errors: { url: /WEBHOOK_ALLOW_PRIVATE_TARGETS/ } }, url);
  }
  const hook = await createHook(ta, URL_OK, ['article.published']);
  const moved = await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, payload: { url: 'http://10.0.0.1/' } });
  t.equal(moved.statusCode, 400, 'and on update');
});

t.test('lists follow API.md §2', async (t) => {
  await createHook(ta, 'https://a.example.invalid/tin-tuc', ['media.deleted']);
  const all = await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks' });
  const total = Number(all.headers['x-total-count']);
  t.ok(total >= 5);
  t.equal(all.headers['content-range'], `webhooks 0-${Math.min(total, 25) - 1}/${total}`);
  const byEvent = await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks?events=media.deleted' });
  t.ok(byEvent.json().every((w: { events: string[] }) => w.events.includes('media.deleted')));
  const q = await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks?q=TIN TUC' });
  t.same(q.json().map((w: { url: string }) => w.url), ['https://a.example.invalid/tin-tuc']);
  const inactive = await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks?filter=${encodeURIComponent('{"active":false}')}&sort=${encodeURIComponent('["url","DESC"]')}` });
  t.ok(inactive.json().every((w: { active: boolean }) => !w.active));
  t.equal((await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks?secret=x' })).statusCode, 400, 'the secret is no filter');
  t.equal((await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks?_sort=secret' })).statusCode, 400);
});

t.test('a host that resolves to loopback is refused at delivery time', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  // Registered where private targets are allowed; delivered by an instance where they are not.
  const loose = await ta.secondInstance({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '0' });
  const hook = await createHook(ta, `http://localhost:${receiver.port}/hook`, ['category.created'], loose);
  const strict = await ta.secondInstance({ WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_SCALE: '0.00001' });
  await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Không gửi' } });
  await eventually(async () => (await deliveriesOf(ta, hook.id))[0]?.status === 'failed', 8000, 50);
  const [d] = await deliveriesOf(ta, hook.id);
  t.match(d, { status: 'failed', attempts: 9, lastStatusCode: null, lastError: /^Refused target: localhost resolves to (127\.0\.0\.1|::1), a loopback address/ });
  t.equal(receiver.received.length, 0, 'nothing was sent');
  await strict.close();
});

t.test('no secret and no token in any log line', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
  const config = parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_SCALE: '0.001', ...(ta.config.databaseUrl ? { DATABASE_URL: ta.config.databaseUrl } : {}) });
  const app = await buildApp(config, { database: ta.app.ctx.database, migrate: false, logger: { ...(loggerOptions('trace') as object), stream } });
  await app.ready();
  t.teardown(() => app.close());
  const auth = { authorization: `Bearer ${ta.users.admin.token}` };
  const receiver = await startReceiver((_r, nth) => (nth === 1 ? 500 : 200));
  t.teardown(() => receiver.close());

  const hook = (await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth, payload: { url: receiver.url, events: ['category.created'] } })).json();
  const rotated = (await app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, headers: auth })).json();
  await app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, headers: auth, payload: { secret: rotated.secret, description: 'log' } });
  await app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/ping`, headers: auth });
  await receiver.waitFor(2);
  // Every attempt made and recorded, and the dispatcher's line about the failed one written.
  await settled(ta, hook.id);
  await eventually(() => lines.join('').includes('will retry'));
  // What the error handler would log if the database refused the secret's insert.
  app.log.error({ err: new DrizzleQueryError('insert into "webhooks" ("secret") values ($1)', [rotated.secret], new Error('down')) }, 'unhandled error');
  await app.close();

  const log = lines.join('');
  t.ok(lines.length > 5, 'something was logged');
  t.match(log, /webhook attempt failed; will retry/, 'the dispatcher logged the failed attempt');
  for (const secret of [hook.secret, rotated.secret]) t.notOk(log.includes(secret), 'no secret');
  t.notOk(log.includes(ta.users.admin.token), 'no bearer token');
  t.notMatch(log, /v1=[0-9a-f]{64}/, 'no signature');
});
