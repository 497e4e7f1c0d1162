// Deliveries survive the process: committed events are delivered by whichever instance runs
// next, an attempt whose instance died mid-call is retried after its lease, and several
// instances on one database send each delivery once.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { claimDueDeliveries } from '../../src/modules/webhooks/deliveries.queries.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { createClock } from '../helpers/clock.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { createHook, deliveriesOf, retire, settled } from '../helpers/webhooks.js';

// No dispatcher here unless a test starts an instance with one. A lease ends by the service's
// clock, which the test moves past it.
const env = { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '0', WEBHOOK_RETRY_SCALE: '0.001', SCHEDULER_INTERVAL_MS: '0' };
const clock = createClock();
const ta = await createTestApp(env, { clock });
t.teardown(() => ta.close());
const as = (token: string) => ({ authorization: `Bearer ${token}` });

t.test('a process stopped between commit and delivery: the next one delivers', async (t) => {
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const hook = await createHook(ta, receiver.url, ['category.created', 'article.published']);
  t.teardown(() => retire(ta, hook.id));

  const first = await ta.secondInstance();
  const create = (name: string) =>
    first.inject({ method: 'POST', url: '/api/v1/categories', headers: as(ta.users.editor.token), payload: { name } }).then((r) => r.json());
  const crashed = await create('Đang gửi thì sập');
  const committed = await create('Đã ghi, chưa gửi');
  const article = await articleIn(ta, 'published');
  // The instance claimed the oldest delivery and died during its HTTP call: only the lease remains.
  const LEASE_MS = 10 * 60_000;
  const claimed = await claimDueDeliveries(ta.app.ctx.db, clock.now(), 1, new Date(clock.now().getTime() + LEASE_MS));
  t.match(claimed, [{ eventType: 'category.created', data: { id: crashed.id } }]);
  // Closing waits for the attempts in flight: after it, nothing of this instance is sending.
  await first.close();
  t.equal(receiver.received.length, 0, 'nothing sent while no dispatcher runs');
  t.same((await deliveriesOf(ta, hook.id)).map((d) => d.status), ['pending', 'pending', 'pending']);

  const later = await ta.secondInstance({ WEBHOOK_POLL_MS: '50' });
  const of = (type: string, id: number) => receiver.received.filter((r) => r.body.type === type && r.body.data.id === id);
  await receiver.waitFor((all) => of('category.created', committed.id).length > 0 && of('article.published', article.id).length > 0);
  // Real time, for an absence: several polls of the dispatcher pass while the lease holds.
  await sleep(300);
  t.equal(of('category.created', crashed.id).length, 0, 'the interrupted one waits for its lease to end');
  clock.advance(LEASE_MS);
  await receiver.waitFor(() => of('category.created', crashed.id).length > 0);
  await settled(ta, hook.id);
  t.equal(receiver.received.length, 3, 'each once');
  const byId = new Map((await deliveriesOf(ta, hook.id)).map((d) => [d.id, d]));
  t.match(byId.get(claimed[0].id), { status: 'delivered', attempts: 2 }, 'the interrupted attempt counts');
  await later.close();
});

t.test('two service instances on one database deliver each event exactly once', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL: PGlite is one connection in one process' }, async (t) => {
  const receiver = await startReceiver(async () => {
    await sleep(Math.random() * 20);
    return 200;
  });
  t.teardown(() => receiver.close());
  const hook = await createHook(ta, receiver.url, ['category.created']);
  t.teardown(() => retire(ta, hook.id));
  const instances = [await ta.secondInstance({ WEBHOOK_POLL_MS: '10' }), await ta.secondInstance({ WEBHOOK_POLL_MS: '10' }), await ta.secondInstance({ WEBHOOK_POLL_MS: '10' })];

  const n = 40;
  for (let i = 0; i < n; i += 8) {
    await Promise.all(Array.from({ length: 8 }, (_, j) =>
      instances[j % 3].inject({ method: 'POST', url: '/api/v1/categories', headers: as(ta.users.editor.token), payload: { name: `Song song ${i + j}` } })));
  }
  await receiver.waitFor(n, 15_000);
  await settled(ta, hook.id);
  const ids = receiver.received.map((r) => r.headers['x-toasoan-delivery']);
  t.equal(ids.length, n, 'no delivery sent twice');
  t.equal(new Set(ids).size, n);
  t.ok((await deliveriesOf(ta, hook.id, '?_end=100')).every((d) => d.status === 'delivered' && d.attempts === 1));
  for (const i of instances) await i.close();
});
