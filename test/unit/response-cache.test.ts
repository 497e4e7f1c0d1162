import t from 'tap';
import { ResponseCache } from '../../src/lib/response-cache.js';

const entry = (body: string) => ({ body: Buffer.from(body), headers: { 'content-type': 'application/json' } });
const fresh = (maxBytes = 1e6) => {
  const c = new ResponseCache({ maxBytes, ttlMs: 60_000 }, () => 0);
  c.setValidUntil(Infinity);
  return c;
};

t.test('serves only while the timetable is fresh', async (t) => {
  let now = 1000;
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 60_000 }, () => now);
  c.set('/a', entry('x'), ['a'], c.generation);
  t.equal(c.get('/a'), undefined, 'nothing is stored before the timetable is known');
  c.setValidUntil(2000);
  c.set('/a', entry('x'), ['a'], c.generation);
  t.equal(c.get('/a')?.body.toString(), 'x');
  now = 2000;
  t.equal(c.get('/a'), undefined, 'not at or after the next visibility change');
  c.setValidUntil(5000);
  t.equal(c.get('/a'), undefined, 'an entry stored before the change never comes back under the next timetable');
  t.equal(c.size, 0);
  t.equal(c.indexedKeys, 0);
});

t.test('a new timetable before the old one has passed keeps the entries', async (t) => {
  let now = 1000;
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 60_000 }, () => now);
  c.setValidUntil(3000);
  c.set('/a', entry('x'), ['a'], c.generation);
  now = 1500;
  c.setValidUntil(2000);
  t.equal(c.get('/a')?.body.toString(), 'x');
});

t.test('a response computed before an eviction is not stored after it', async (t) => {
  const c = fresh();
  const gen = c.generation;
  c.evict(['article-7']);
  c.set('/api/v1/articles', entry('stale'), ['articles'], gen);
  t.equal(c.get('/api/v1/articles'), undefined);
});

t.test('a response without surrogate keys is not stored: nothing could purge it', async (t) => {
  const c = fresh();
  c.set('/x', entry('x'), [], c.generation);
  t.equal(c.size, 0);
});

t.test('eviction by surrogate key is precise', async (t) => {
  const c = fresh();
  const g = c.generation;
  c.set('list', entry('list'), ['articles', 'article-7', 'article-8'], g);
  c.set('list-cat', entry('list2'), ['articles', 'article-8'], g);
  c.set('a7-by-id', entry('a7'), ['article-7', 'category-1', 'media-3'], g);
  c.set('a7-by-slug', entry('a7'), ['article-7', 'category-1'], g);
  c.set('a8', entry('a8'), ['article-8', 'category-2'], g);
  c.set('cats', entry('cats'), ['categories', 'category-1', 'category-2'], g);
  c.evict(['article-7']);
  t.equal(c.get('list'), undefined);
  t.equal(c.get('a7-by-id'), undefined);
  t.equal(c.get('a7-by-slug'), undefined, 'under every key it was stored');
  t.equal(c.get('list-cat')?.body.toString(), 'list2', 'a list without it stays');
  t.equal(c.get('a8')?.body.toString(), 'a8', 'other articles stay');
  c.evict(['media-3', 'category-2']);
  t.equal(c.get('a8'), undefined);
  t.equal(c.get('cats'), undefined);
  t.equal(c.get('list-cat')?.body.toString(), 'list2');
  c.clear();
  t.equal(c.size, 0);
  t.equal(c.indexedKeys, 0);
});

t.test('the keys index shrinks as entries leave, whatever the reason', async (t) => {
  // Room for about three entries of 1 KB: every new one pushes the oldest out.
  const c = fresh(4000);
  for (let i = 0; i < 1000; i++) c.set(`/k${i}`, entry('x'.repeat(1000)), [`article-${i}`, 'articles'], c.generation);
  t.ok(c.size <= 3, `${c.size} entries kept`);
  t.equal(c.indexedKeys, c.size + 1, 'one key per entry left, plus the shared one');
  c.evict(['articles']);
  t.equal(c.size, 0);
  t.equal(c.indexedKeys, 0, 'evicted by key: nothing left behind');

  c.set('/same', entry('a'), ['article-1'], c.generation);
  c.set('/same', entry('b'), ['article-2'], c.generation);
  t.equal(c.indexedKeys, 1, 'a replaced entry leaves its old keys');
  c.evict(['article-1']);
  t.equal(c.get('/same')?.body.toString(), 'b', 'and is not evicted by them');

  c.set('/huge', entry('x'.repeat(10_000)), ['article-9'], c.generation);
  t.equal(c.get('/huge'), undefined, 'an entry too large for the cache is not stored');
  t.equal(c.indexedKeys, 1, 'nor indexed');
});

t.test('expired entries leave the index when they are dropped', async (t) => {
  let now = 0;
  const c = new ResponseCache({ maxBytes: 1e6, ttlMs: 1000 }, () => now);
  c.setValidUntil(Infinity);
  c.set('/a', entry('a'), ['article-1'], c.generation);
  t.equal(c.indexedKeys, 1);
  // lru-cache reads its own clock for the TTL.
  await new Promise((r) => setTimeout(r, 1100));
  now = 1100;
  t.equal(c.get('/a'), undefined);
  t.equal(c.indexedKeys, 0);
});
