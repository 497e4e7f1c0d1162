// API.md §5: a slug clash gets the next number, also when the writers race. On PostgreSQL the
// creates below really run at once (a pool of connections); on PGlite they queue on its one
// connection, and the numbering must be the same.
import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

const expectedSlugs = (base: string, n: number) => [base, ...Array.from({ length: n - 1 }, (_, i) => `${base}-${i + 2}`)];

for (const [resource, field] of [['articles', 'title'], ['categories', 'name']] as const) {
  t.test(`8 concurrent ${resource} with one ${field} get t, t-2 … t-8`, async (t) => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ta.req('editor', { method: 'POST', url: `/api/v1/${resource}`, payload: { [field]: 'T' } })),
    );
    t.same(results.map((r) => r.statusCode), Array(8).fill(201), results.map((r) => r.body).join('\n').slice(0, 500));
    const slugs = results.map((r) => r.json().slug as string).sort((a, b) => a.length - b.length || a.localeCompare(b));
    t.same(slugs, expectedSlugs('t', 8));
  });
}

t.test('many writers creating the same title all succeed, numbered without gaps', async (t) => {
  const results = await Promise.all(
    Array.from({ length: 12 }, () => ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Tin nóng Tân Hồng' } })),
  );
  t.same(results.map((r) => r.statusCode), Array(12).fill(201));
  t.same(new Set(results.map((r) => r.json().slug)), new Set(expectedSlugs('tin-nong-tan-hong', 12)));
});

t.test('an explicit slug that a concurrent writer takes first is a 409 keyed on slug', async (t) => {
  const results = await Promise.all(
    Array.from({ length: 4 }, (_, i) => ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: `Bài ${i}`, slug: 'duong-dan-chung' } })),
  );
  t.same(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
  for (const r of results.filter((x) => x.statusCode === 409)) t.same(r.json().errors, { slug: 'is taken' });
});
