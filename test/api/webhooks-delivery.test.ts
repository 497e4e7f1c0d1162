import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock } from '../helpers/clock.js';
import { png, upload } from '../helpers/media.js';
import { type Received, signatureIsValid, startReceiver } from '../helpers/webhook-receiver.js';
import { ALL_EVENTS, createHook, deliveriesOf, retire, settled } from '../helpers/webhooks.js';

// Go-live is a rule about time: the clock is moved past publishAt. The scheduler and the
// dispatcher still run on real timers (polling every 50 ms, retries scaled down), which is what
// delivers; the tests wait for the deliveries to settle rather than for a fixed time.
const clock = createClock();
const ta = await createTestApp(
  { SCHEDULER_INTERVAL_MS: '50', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_SCALE: '0.001', WEBHOOK_TIMEOUT_MS: '2000' },
  { clock },
);
t.teardown(() => ta.close());

// Secrets of any kind, and article fields that only staff see.
const PRIVATE = /"(passwordHash|password|tokenHash|token|secret|searchDoc|visibleFrom|visibleUntil)"|"(status|authorId|live|publishAt)":/;

/** "Public fields" = exactly what the anonymous API shows for that kind of record (API.md §4). */
async function publicKeys(): Promise<Record<string, Set<string>>> {
  const a = await articleIn(ta, 'published');
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Mẫu' } })).json();
  const m = (await upload(ta, 'editor', { filename: 'mau.png', data: await png(64, 32) })).json();
  const b = await articleIn(ta, 'published', { coverMediaId: m.id });
  const anon = async (url: string) => (await ta.app.inject({ method: 'GET', url })).json();
  const keys = (o: object) => new Set(Object.keys(o));
  // Media is public only as an article's cover.
  return { article: keys(await anon(`/api/v1/articles/${a.id}`)), category: keys(await anon(`/api/v1/categories/${c.id}`)), media: keys((await anon(`/api/v1/articles/${b.id}`)).cover) };
}

async function hookWithReceiver(t: { teardown(fn: () => Promise<void>): void }, events?: string[], respond?: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(respond);
  const hook = await createHook(ta, receiver.url, events);
  t.teardown(async () => {
    await retire(ta, hook.id);
    await receiver.close();
  });
  return { receiver, hook };
}

t.test('every event type arrives signed, with its public payload', async (t) => {
  const allowed = await publicKeys();
  const { receiver, hook } = await hookWithReceiver(t);
  const expected: Array<[string, number, Record<string, unknown>]> = [];

  const a = await articleIn(ta, 'approved', { title: 'Tin nóng', body: '<p>Nội dung</p>' });
  await transition(ta, 'editor', a.id, 'publish');
  expected.push(['article.published', a.id, { id: a.id, title: 'Tin nóng', body: '<p>Nội dung</p>' }]);
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Tin nóng (cập nhật)' } });
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  expected.push(['article.updated', a.id, { id: a.id, title: 'Tin nóng (cập nhật)' }]);
  await transition(ta, 'editor', a.id, 'unpublish');
  expected.push(['article.unpublished', a.id, { id: a.id, slug: a.slug }]);
  for (const action of ['submit', 'approve', 'publish', 'archive']) await transition(ta, 'editor', a.id, action);
  expected.push(['article.published', a.id, { id: a.id }], ['article.archived', a.id, { id: a.id, slug: a.slug }]);

  const b = await articleIn(ta, 'published');
  await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${b.id}` });
  expected.push(['article.published', b.id, { id: b.id }], ['article.deleted', b.id, { id: b.id, slug: b.slug }]);
  // Never public: announced by its id alone, no slug or text of the draft.
  const d = await articleIn(ta, 'in_review', { title: 'Bản nháp mật', body: '<p>chưa công bố</p>' });
  t.equal((await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${d.id}` })).statusCode, 200);
  expected.push(['article.deleted', d.id, { id: d.id }]);

  const m = (await upload(ta, 'author', { filename: 'anh.png', data: await png(64, 32) }, { alt: 'Ảnh' })).json();
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${m.id}`, payload: { alt: 'Ảnh đã sửa' } });
  await ta.req('editor', { method: 'DELETE', url: `/api/v1/media/${m.id}` });
  expected.push(['media.created', m.id, { id: m.id, alt: 'Ảnh', url: m.url }], ['media.updated', m.id, { id: m.id, alt: 'Ảnh đã sửa' }], ['media.deleted', m.id, { id: m.id }]);

  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự' } })).json();
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${c.id}`, payload: { name: 'Thời sự 24h' } });
  await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  expected.push(
    ['category.created', c.id, { id: c.id, name: 'Thời sự' }],
    ['category.updated', c.id, { id: c.id, name: 'Thời sự 24h' }],
    ['category.deleted', c.id, { id: c.id, slug: 'thoi-su' }],
  );

  // Scheduled a minute ahead (the receiver checks signatures against its own clock within 5
  // minutes, so the service's clock stays near it): nothing is announced until the clock passes it.
  const s = await articleIn(ta, 'approved', { title: 'Hẹn giờ' });
  const at = clock.iso(60_000);
  await transition(ta, 'editor', s.id, 'publish', { publishAt: at });
  const isScheduled = (r: Received) => r.body.type === 'article.published' && r.body.data.id === s.id;
  await settled(ta, hook.id);
  t.notOk(receiver.received.some(isScheduled), 'the scheduled publication is not announced before publishAt');
  clock.advance(60_000);
  expected.push(['article.published', s.id, { id: s.id, title: 'Hẹn giờ', publishedAt: at }]);

  // A receiver may see a delivery twice when its answer came after the timeout (on a loaded
  // machine): the retry keeps its delivery id, so each event is counted by that id.
  const deliveries = (all: Received[]) => all.filter((r, i) => all.findIndex((o) => o.body.id === r.body.id) === i);
  const got = deliveries(await receiver.waitFor((all) => all.some(isScheduled), 15_000));
  await settled(ta, hook.id);
  t.equal(deliveries(receiver.received).length, expected.length, 'each event once');
  // Order is guaranteed per entity only, so compare each entity's sequence.
  for (const entity of new Set(expected.map(([type, id]) => `${type.split('.')[0]}:${id}`))) {
    const want = expected.filter(([type, id]) => `${type.split('.')[0]}:${id}` === entity);
    const have = got.filter((r) => `${r.body.type.split('.')[0]}:${r.body.data.id}` === entity);
    t.same(have.map((r) => r.body.type), want.map(([type]) => type), `${entity} in order`);
    want.forEach(([, , data], i) => t.match(have[i]?.body.data, data, `${entity} #${i} payload`));
  }
  const deletedDraft = got.find((r) => r.body.type === 'article.deleted' && r.body.data.id === d.id)!;
  t.same(deletedDraft.body.data, { id: d.id }, 'nothing of the draft but its id');
  t.notMatch(deletedDraft.raw, /Bản nháp mật|chưa công bố|ban-nhap-mat/);
  t.same(new Set(got.map((r) => r.body.type)), new Set(ALL_EVENTS), 'every event type a webhook can subscribe to was sent');

  for (const r of got) {
    t.ok(signatureIsValid(hook.secret, r), `${r.body.type}: valid signature`);
    t.equal(r.headers['content-type'], 'application/json');
    t.equal(r.headers['user-agent'], 'toasoan-webhooks/1');
    t.equal(r.headers['x-toasoan-event'], r.body.type);
    t.equal(r.headers['x-toasoan-delivery'], r.body.id);
    t.same(Object.keys(r.body).sort(), ['createdAt', 'data', 'id', 'purge', 'type']);
    t.match(r.body.purge, { keys: Array }, `${r.body.type}: the keys to purge`);
    t.ok(!Number.isNaN(Date.parse(r.body.createdAt)));
    t.notMatch(r.raw, PRIVATE, `${r.body.type}: nothing private`);
    const extra = Object.keys(r.body.data).filter((k) => !allowed[r.body.type.split('.')[0]].has(k));
    t.same(extra, [], `${r.body.type}: only fields the anonymous API shows`);
  }
  t.notOk(signatureIsValid('whsec_wrong', got[0]), 'another secret does not verify');
});

t.test('only subscribed events, only active webhooks', async (t) => {
  const { receiver, hook } = await hookWithReceiver(t, ['category.deleted']);
  const { receiver: off, hook: offHook } = await hookWithReceiver(t, ['category.created']);
  await retire(ta, offHook.id);
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Chỉ xóa' } })).json();
  await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  await receiver.waitFor(1);
  await settled(ta, hook.id);
  t.same(receiver.received.map((r) => r.body.type), ['category.deleted']);
  t.same(await deliveriesOf(ta, offHook.id), [], 'an inactive webhook gets no delivery');
  t.equal(off.received.length, 0, 'and nothing is sent to it');
});

t.test('5xx is retried with the same delivery id until it succeeds', async (t) => {
  const { receiver, hook } = await hookWithReceiver(t, ['category.created'], (_r, nth) => (nth <= 2 ? 500 : 200));
  await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thử lại' } });
  const got = await receiver.waitFor(3);
  await settled(ta, hook.id);
  t.equal(receiver.received.length, 3, 'nothing after the success');
  t.equal(new Set(got.map((r) => r.headers['x-toasoan-delivery'])).size, 1, 'one delivery id across retries');
  t.ok(got.every((r) => r.raw === got[0].raw), 'the same body each time');
  t.ok(got.every((r) => signatureIsValid(hook.secret, r)));
  const [d] = await deliveriesOf(ta, hook.id);
  t.match(d, { id: got[0].body.id, event: 'category.created', status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
});

t.test('429 is retried, other 4xx are not', async (t) => {
  const { receiver: gone, hook: goneHook } = await hookWithReceiver(t, ['category.created'], () => 404);
  const { receiver: busy } = await hookWithReceiver(t, ['category.created'], (_r, nth) => (nth === 1 ? 429 : 200));
  await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Không thử lại' } });
  await busy.waitFor(2);
  await gone.waitFor(1);
  await settled(ta, goneHook.id);
  t.equal(gone.received.length, 1, 'a 404 is not retried');
  const [d] = await deliveriesOf(ta, goneHook.id);
  t.match(d, { status: 'failed', attempts: 1, lastStatusCode: 404, nextAttemptAt: null });
  t.match(d.lastError, /404/);
});

t.test('events of one article arrive in order even while one is being retried', async (t) => {
  // The first event of `a` fails at least twice, and until `other`'s event has arrived.
  let failures = 0;
  let otherSeenAt = Infinity;
  const { receiver } = await hookWithReceiver(t, ['article.published', 'article.unpublished', 'article.archived'], (r) => {
    if (r.body.data.id === other.id) otherSeenAt = Math.min(otherSeenAt, r.at);
    const retrying = r.body.type === 'article.published' && r.body.data.id === a.id && (failures < 2 || otherSeenAt === Infinity);
    if (retrying) failures++;
    return retrying ? 503 : 200;
  });
  const a = await articleIn(ta, 'approved');
  const other = await articleIn(ta, 'approved');
  await transition(ta, 'editor', a.id, 'publish');
  await transition(ta, 'editor', other.id, 'publish');
  await transition(ta, 'editor', a.id, 'unpublish');
  for (const action of ['submit', 'approve', 'publish', 'archive']) await transition(ta, 'editor', a.id, action);

  const ofA = (all: typeof receiver.received) => all.filter((r) => r.body.data.id === a.id);
  const got = ofA(await receiver.waitFor((all) => ofA(all).some((r) => r.body.type === 'article.archived')));
  const ids = got.map((r) => r.body.id);
  const distinct = [...new Set(ids)];
  t.same(distinct.map((id) => got.find((r) => r.body.id === id)!.body.type), ['article.published', 'article.unpublished', 'article.published', 'article.archived']);
  t.same(ids, distinct.flatMap((id) => ids.filter((x) => x === id)), 'nothing of a later event is sent while an earlier one is pending');
  t.ok(failures >= 2, `the first event was retried (${failures} failures)`);
  const firstSuccess = got[failures].at;
  t.ok(otherSeenAt <= firstSuccess, 'another article is not held up by this one');
});

t.test('ping reaches its webhook only', async (t) => {
  const { receiver, hook } = await hookWithReceiver(t, ['media.created']);
  const { receiver: bystander, hook: bystanderHook } = await hookWithReceiver(t, ['media.created']);
  const res = await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/ping` });
  t.equal(res.statusCode, 202);
  t.match(res.json(), { event: 'ping', status: 'pending', webhookId: hook.id });
  const [r] = await receiver.waitFor(1);
  t.match(r.body, { id: res.json().id, type: 'ping', data: { webhookId: hook.id, events: ['media.created'] } });
  t.equal(r.headers['x-toasoan-event'], 'ping');
  t.ok(signatureIsValid(hook.secret, r));
  await settled(ta, hook.id);
  t.same(await deliveriesOf(ta, bystanderHook.id), [], 'no delivery for another webhook');
  t.equal(bystander.received.length, 0);
  t.equal((await ta.req('admin', { method: 'POST', url: '/api/v1/webhooks/999999/ping' })).statusCode, 404);
  await retire(ta, hook.id);
  t.equal((await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/ping` })).statusCode, 409, 'an inactive webhook cannot be pinged');
});

t.test('deliveries list and redeliver', async (t) => {
  const { receiver, hook } = await hookWithReceiver(t, ['category.created', 'category.deleted'], (r) => (r.body.type === 'category.deleted' ? 410 : 200));
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Gửi lại' } })).json();
  await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  await receiver.waitFor(2);
  await settled(ta, hook.id);

  const list = await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries` });
  t.equal(list.headers['x-total-count'], '2');
  t.equal(list.headers['content-range'], 'deliveries 0-1/2');
  const rows = list.json();
  t.same(rows.map((d: { event: string }) => d.event), ['category.deleted', 'category.created'], 'newest first');
  t.same(Object.keys(rows[0]).sort(), [
    'attempts', 'createdAt', 'event', 'eventId', 'id', 'lastDurationMs', 'lastError', 'lastStatusCode', 'nextAttemptAt', 'status', 'updatedAt', 'webhookId',
  ]);
  t.same((await deliveriesOf(ta, hook.id, '?status=failed')).map((d) => d.event), ['category.deleted']);
  t.same((await deliveriesOf(ta, hook.id, '?event=category.created')).map((d) => d.status), ['delivered']);
  t.same((await deliveriesOf(ta, hook.id, '?_sort=createdAt&_order=asc&_start=0&_end=1')).map((d) => d.event), ['category.created']);
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries?secret=x` })).statusCode, 400);
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries?id=not-a-uuid` })).json().length, 0);

  const delivered = rows[1];
  const one = await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries/${delivered.id}` });
  t.match(one.json(), { id: delivered.id, status: 'delivered', attempts: 1 });
  const again = await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${delivered.id}/redeliver` });
  t.equal(again.statusCode, 202);
  t.match(again.json(), { id: delivered.id, status: 'pending', attempts: 0 });
  const got = await receiver.waitFor(3);
  t.equal(got[2].headers['x-toasoan-delivery'], delivered.id, 'the same delivery id');
  t.equal(got[2].raw, got[0].raw, 'the same body');
  await settled(ta, hook.id);
  t.match((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries/${delivered.id}` })).json(), { status: 'delivered', attempts: 1 });

  const missing = '00000000-0000-4000-8000-000000000000';
  t.equal((await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${missing}/redeliver` })).statusCode, 404);
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries/nope` })).statusCode, 404, 'a malformed delivery id names nothing');
  t.equal((await ta.req('admin', { method: 'GET', url: '/api/v1/webhooks/999999/deliveries' })).statusCode, 404);
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries` })).statusCode, 403);
});
