import { setImmediate as nextTurn } from 'node:timers/promises';
import t from 'tap';
import { batchedLookup } from '../../src/lib/batched-lookup.js';

/** A fetch whose calls are recorded and answered by the test. */
function controlledFetch() {
  const calls: Array<{ keys: string[]; context: number; answer: (found: Record<string, string>) => void; fail: (err: Error) => void }> = [];
  const fetch = (keys: string[], context: number) =>
    new Promise<Map<string, unknown>>((resolve, reject) => {
      calls.push({ keys, context, answer: (found) => resolve(new Map(Object.entries(found))), fail: reject });
    });
  return { calls, fetch };
}

const latest = (a: number, b: number) => Math.max(a, b);

t.test('lookups of one turn share one fetch of their distinct keys', async (t) => {
  const { calls, fetch } = controlledFetch();
  const lookup = batchedLookup<string, string, number>({ fetch, maxBatch: 10, merge: latest });
  const results = Promise.all([lookup('a', 1), lookup('b', 3), lookup('a', 2), lookup('missing', 1)]);
  t.equal(calls.length, 0, 'nothing is fetched before the turn ends');
  await nextTurn();
  t.equal(calls.length, 1);
  t.same(calls[0].keys, ['a', 'b', 'missing']);
  t.equal(calls[0].context, 3, 'the merged context of the batch');
  calls[0].answer({ a: 'A', b: 'B' });
  t.same(await results, ['A', 'B', 'A', undefined]);
});

t.test('a turn with more keys than a batch holds makes several fetches', async (t) => {
  const { calls, fetch } = controlledFetch();
  const lookup = batchedLookup<string, string, number>({ fetch, maxBatch: 2, merge: latest });
  const results = Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => lookup(k, 0)));
  await nextTurn();
  t.same(
    calls.map((c) => c.keys),
    [['a', 'b'], ['c', 'd'], ['e']],
  );
  for (const c of calls) c.answer(Object.fromEntries(c.keys.map((k) => [k, k.toUpperCase()])));
  t.same(await results, ['A', 'B', 'C', 'D', 'E']);
});

t.test('while a batch is out, later lookups wait and then go out together', async (t) => {
  const { calls, fetch } = controlledFetch();
  const lookup = batchedLookup<string, string, number>({ fetch, maxBatch: 10, merge: latest });
  const first = lookup('a', 1);
  await nextTurn();
  t.equal(calls.length, 1);
  const later = [lookup('b', 2)];
  await nextTurn();
  later.push(lookup('c', 3), lookup('a', 4));
  await nextTurn();
  t.equal(calls.length, 1, 'no second fetch while the first is out');
  calls[0].answer({ a: 'A1' });
  t.equal(await first, 'A1');
  await nextTurn();
  t.equal(calls.length, 2);
  t.same(calls[1].keys, ['b', 'c', 'a'], 'everything that waited, in one fetch');
  t.equal(calls[1].context, 4);
  calls[1].answer({ a: 'A2', b: 'B', c: 'C' });
  t.same(await Promise.all(later), ['B', 'C', 'A2'], 'a key asked again is read again, not taken from the earlier batch');
});

t.test('a failed fetch fails its own lookups only', async (t) => {
  const { calls, fetch } = controlledFetch();
  const lookup = batchedLookup<string, string, number>({ fetch, maxBatch: 10, merge: latest });
  const failing = [lookup('a', 0), lookup('b', 0)];
  await nextTurn();
  const waiting = lookup('c', 0);
  calls[0].fail(new Error('connection lost'));
  for (const p of failing) await t.rejects(p, { message: 'connection lost' });
  await nextTurn();
  t.same(calls[1].keys, ['c']);
  calls[1].answer({ c: 'C' });
  t.equal(await waiting, 'C');
});
