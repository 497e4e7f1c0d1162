import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

t.test('many writers creating the same title all succeed with distinct slugs', async (t) => {
  const results = await Promise.all(
    Array.from({ length: 12 }, () => ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Tin nóng Tân Hồng' } })),
  );
  t.same(results.map((r) => r.statusCode), Array(12).fill(201));
  const slugs = results.map((r) => r.json().slug);
  t.equal(new Set(slugs).size, 12);
  t.ok(slugs.every((s: string) => s.startsWith('tin-nong-tan-hong')));
  t.ok(slugs.includes('tin-nong-tan-hong'));
});
