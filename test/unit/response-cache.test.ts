import t from 'tap';
import { ResponseCache } from '../../src/lib/response-cache.js';

const entry = (body: string) => ({ body: Buffer.from(body), headers: { 'content-type': 'application/json' } });

t.test('serves only while the timetable is fresh', async (t) => {
  let now = 1000;
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 60_000 }, () => now);
  c.set('/a', entry('x'), c.generation);
  t.equal(c.get('/a'), undefined, 'nothing is stored before the timetable is known');
  c.setValidUntil(2000);
  c.set('/a', entry('x'), c.generation);
  t.equal(c.get('/a')?.body.toString(), 'x');
  now = 2000;
  t.equal(c.get('/a'), undefined, 'not at or after the next visibility change');
});

t.test('a response computed before an invalidation is not stored after it', async (t) => {
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 60_000 }, () => 0);
  c.setValidUntil(Infinity);
  const gen = c.generation;
  c.invalidateArticle(7);
  c.set('/api/v1/articles', entry('stale'), gen);
  t.equal(c.get('/api/v1/articles'), undefined);
});

t.test('article invalidation is precise', async (t) => {
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 60_000 }, () => 0);
  c.setValidUntil(Infinity);
  const g = c.generation;
  c.set('/api/v1/articles', entry('list'), g);
  c.set('/api/v1/articles?category=tin-tuc', entry('list2'), g);
  c.set('/api/v1/articles/7', entry('a7'), g, 7);
  c.set('/api/v1/articles/slug-7', entry('a7'), g, 7);
  c.set('/api/v1/articles/8', entry('a8'), g, 8);
  c.set('/api/v1/categories', entry('cats'), g);
  c.invalidateArticle(7);
  t.equal(c.get('/api/v1/articles'), undefined);
  t.equal(c.get('/api/v1/articles?category=tin-tuc'), undefined);
  t.equal(c.get('/api/v1/articles/7'), undefined);
  t.equal(c.get('/api/v1/articles/slug-7'), undefined, 'by slug too');
  t.equal(c.get('/api/v1/articles/8')?.body.toString(), 'a8', 'other articles stay');
  t.equal(c.get('/api/v1/categories')?.body.toString(), 'cats');
  c.invalidateAll();
  t.equal(c.size, 0);
});

t.test('memory is bounded', async (t) => {
  const c = new ResponseCache({ maxBytes: 100_000, ttlMs: 60_000 }, () => 0);
  c.setValidUntil(Infinity);
  for (let i = 0; i < 1000; i++) c.set(`/k${i}`, entry('x'.repeat(1000)), c.generation);
  t.ok(c.size < 100, `${c.size} entries kept`);
});
