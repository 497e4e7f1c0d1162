import { asc, gt } from 'drizzle-orm';
import t from 'tap';
import { events } from '../../src/db/schema/index.js';
import { runScheduledPublications } from '../../src/modules/articles/publish-scheduler.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { createClock } from '../helpers/clock.js';

// No scheduler job: the scheduled test runs its step itself, at times set by the clock.
const clock = createClock();
const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' }, { clock });
t.teardown(() => ta.close());

let seen = 0;
/** Events recorded since the last call. */
async function newEvents() {
  const rows = await ta.app.ctx.db.select().from(events).where(gt(events.id, seen)).orderBy(asc(events.id));
  if (rows.length) seen = rows.at(-1)!.id;
  return rows.map((r) => ({ type: r.type, entityId: r.entityId, data: r.data as Record<string, unknown> }));
}
const PRIVATE = /"(status|authorId|version|live|publishAt|passwordHash|searchDoc)"/;

t.test('article events follow what the public sees, with public fields only', async (t) => {
  await newEvents();
  const a = await articleIn(ta, 'approved', { title: 'Sự kiện', body: '<p>bí mật nội bộ</p>' });
  t.same(await newEvents(), [], 'drafts and reviews announce nothing');

  await transition(ta, 'editor', a.id, 'publish');
  const [published] = await newEvents();
  t.match(published, { type: 'article.published', entityId: a.id, data: { id: a.id, title: 'Sự kiện', slug: a.slug } });
  t.notMatch(JSON.stringify(published.data), PRIVATE);

  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Sự kiện (sửa)' } });
  t.same(await newEvents(), [], 'working-copy edits never leave the service');
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', a.id, action);
  const [updated] = await newEvents();
  t.match(updated, { type: 'article.updated', data: { title: 'Sự kiện (sửa)' } });

  const refused = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { status: 'approved' } });
  t.equal(refused.statusCode, 409);
  t.same(await newEvents(), [], 'a refused change records nothing');

  await transition(ta, 'editor', a.id, 'unpublish');
  t.same(await newEvents(), [{ type: 'article.unpublished', entityId: a.id, data: { id: a.id, slug: a.slug } }]);
  for (const action of ['submit', 'approve', 'publish', 'archive']) await transition(ta, 'editor', a.id, action);
  t.same((await newEvents()).map((e) => e.type), ['article.published', 'article.archived']);

  const b = await articleIn(ta, 'published');
  await newEvents();
  await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${b.id}` });
  t.same(await newEvents(), [{ type: 'article.deleted', entityId: b.id, data: { id: b.id, slug: b.slug } }]);
  const c = await articleIn(ta, 'draft');
  await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${c.id}` });
  t.same(await newEvents(), [{ type: 'article.deleted', entityId: c.id, data: { id: c.id } }], 'a never-public article is announced deleted by its id alone');
});

t.test('a scheduled publication is announced when it goes live', async (t) => {
  const a = await articleIn(ta, 'approved');
  await newEvents();
  const at = clock.iso(3600_000);
  await transition(ta, 'editor', a.id, 'publish', { publishAt: at });
  t.same(await newEvents(), [], 'nothing at scheduling time');
  clock.advance(3600_000 - 60_000);
  t.equal(await runScheduledPublications(ta.app.ctx), 0);
  t.same(await newEvents(), [], 'nothing a minute before');
  clock.advance(60_000);
  t.equal(await runScheduledPublications(ta.app.ctx), 1);
  const evs = await newEvents();
  t.same(evs.map((e) => e.type), ['article.published']);
  t.equal(evs[0].data.publishedAt, at);
});

t.test('category events', async (t) => {
  await newEvents();
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Văn hóa' } })).json();
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${c.id}`, payload: { name: 'Văn hóa - Xã hội' } });
  await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  const evs = await newEvents();
  t.same(evs.map((e) => e.type), ['category.created', 'category.updated', 'category.deleted']);
  t.match(evs[1].data, { id: c.id, name: 'Văn hóa - Xã hội' });
  t.same(evs[2].data, { id: c.id, slug: 'van-hoa' });
});
