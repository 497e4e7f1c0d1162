import { setImmediate as nextTurn } from 'node:timers/promises';
import t from 'tap';
import { coalescing } from '../../src/lib/coalesce.js';

/** A run whose calls are recorded and finished by the test. */
function controlledRun() {
  const calls: Array<{ key: string; context: number; finish: (value: string) => void; fail: (err: Error) => void }> = [];
  const run = (key: string, context: number) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ key, context, finish: resolve, fail: reject });
    });
  return { calls, run };
}

const latest = (a: number, b: number) => Math.max(a, b);

t.test('identical requests of one turn share one run, which starts after all of them', async (t) => {
  const { calls, run } = controlledRun();
  const get = coalescing(run, latest);
  const same = [get('page-1', 1), get('page-1', 5), get('page-1', 3)];
  const other = get('page-2', 2);
  t.equal(calls.length, 0, 'nothing runs before the turn ends');
  await nextTurn();
  t.same(
    calls.map((c) => [c.key, c.context]),
    [
      ['page-1', 5],
      ['page-2', 2],
    ],
    'one run per key, with the latest context among its requests',
  );
  calls[0].finish('P1');
  calls[1].finish('P2');
  t.same(await Promise.all(same), ['P1', 'P1', 'P1']);
  t.equal(await other, 'P2');
});

t.test('a request that arrives while its key runs is answered by the next run, not the one under way', async (t) => {
  const { calls, run } = controlledRun();
  const get = coalescing(run, latest);
  const early = get('page-1', 1);
  await nextTurn();
  t.equal(calls.length, 1);
  const late = [get('page-1', 2)];
  await nextTurn();
  late.push(get('page-1', 3));
  const unrelated = get('page-2', 9);
  await nextTurn();
  t.same(
    calls.map((c) => c.key),
    ['page-1', 'page-2'],
    'a second run of the same key waits; other keys do not',
  );
  calls[0].finish('old');
  t.equal(await early, 'old');
  await nextTurn();
  t.equal(calls.length, 3);
  t.same([calls[2].key, calls[2].context], ['page-1', 3], 'the late requests share the next run');
  calls[2].finish('new');
  t.same(await Promise.all(late), ['new', 'new']);
  calls[1].finish('P2');
  t.equal(await unrelated, 'P2');
});

t.test('a failed run fails its own requests only', async (t) => {
  const { calls, run } = controlledRun();
  const get = coalescing(run, latest);
  const failing = [get('k', 0), get('k', 0)];
  await nextTurn();
  const next = get('k', 0);
  calls[0].fail(new Error('connection lost'));
  for (const p of failing) await t.rejects(p, { message: 'connection lost' });
  await nextTurn();
  t.equal(calls.length, 2);
  calls[1].finish('ok');
  t.equal(await next, 'ok');
});

t.test('a run that throws instead of rejecting does not block its key', async (t) => {
  let n = 0;
  const get = coalescing(
    (key: string) => {
      n++;
      if (n === 1) throw new Error('thrown');
      return Promise.resolve(`${key}-${n}`);
    },
    latest,
  );
  await t.rejects(get('k', 0), { message: 'thrown' });
  t.equal(await get('k', 0), 'k-2');
});
