// The outbox knows no subscriber (events/ imports nothing from modules/): the webhook module's
// fan-out is registered by buildApp. Every app built in one process registers it, so it must run
// once per event all the same, and inside the event's transaction.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { events, webhookDeliveries } from '../../src/db/schema/index.js';
import { emitEvent, subscribeInTransaction } from '../../src/events/outbox.js';
import { createTestApp } from '../helpers/app.js';
import { createHook } from '../helpers/webhooks.js';

const ta = await createTestApp({ WEBHOOK_POLL_MS: '0', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());
// A second app in the same process subscribes the same fan-out again.
const other = await createTestApp({ WEBHOOK_POLL_MS: '0', SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => other.close());

const URL_OK = 'https://hooks.example.invalid/subscribers';

t.test('an event gets one delivery per subscribed webhook, however many apps were built', async (t) => {
  const hook = await createHook(ta, URL_OK, ['category.created']);
  const res = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Một lần' } });
  t.equal(res.statusCode, 201);
  const rows = await ta.app.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
  t.equal(rows.length, 1);
  t.equal(rows[0].eventType, 'category.created');
});

t.test('a subscriber runs in the event transaction: when it fails, the event is not recorded', async (t) => {
  const refuse = new Error('subscriber refused');
  let armed = true;
  subscribeInTransaction(async () => {
    if (armed) throw refuse;
  });
  t.teardown(() => {
    armed = false;
  });
  const before = await ta.app.ctx.db.$count(events);
  await t.rejects(
    ta.app.ctx.db.transaction((tx) => emitEvent(tx, { type: 'media.updated', entityId: 1, data: { id: 1 }, at: new Date(), purge: [] })),
    refuse,
  );
  t.equal(await ta.app.ctx.db.$count(events), before, 'rolled back with the subscriber');
});
