// The two mechanisms that bound image rendering: p-limit with a queue limit, and a single flight
// per key.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { boundedLimit, QueueFullError } from '../../src/lib/bounded-limit.js';
import { singleFlight } from '../../src/lib/single-flight.js';

t.test('a bounded limit runs at most `limit` tasks and refuses past its queue limit', async (t) => {
  const run = boundedLimit(2, 3);
  let active = 0;
  let peak = 0;
  const task = async () => {
    active++;
    peak = Math.max(peak, active);
    await sleep(10);
    active--;
    return 'done';
  };
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => run(task)));
  t.equal(peak, 2);
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 5, '2 running + 3 waiting');
  for (const r of results.filter((r) => r.status === 'rejected')) t.type((r as PromiseRejectedResult).reason, QueueFullError);
  t.equal(run.running, 0);
  t.equal(run.waiting, 0);
});

t.test('a freed slot goes to the next in line, not to a task arriving in between', async (t) => {
  const run = boundedLimit(1);
  let active = 0;
  let peak = 0;
  const task = async () => {
    active++;
    peak = Math.max(peak, active);
    await Promise.resolve();
    active--;
  };
  const all: Array<Promise<void>> = [];
  for (let i = 0; i < 50; i++) {
    all.push(run(task));
    if (i % 3 === 0) await Promise.resolve();
  }
  await Promise.all(all);
  t.equal(peak, 1);
});

t.test('a failing task frees its slot', async (t) => {
  const run = boundedLimit(1, 0);
  await t.rejects(run(async () => Promise.reject(new Error('boom'))), { message: 'boom' });
  t.equal(await run(async () => 'next'), 'next');
});

t.test('single flight: concurrent callers of one key share one run; later callers start another', async (t) => {
  const flights = singleFlight<number>();
  let runs = 0;
  const task = async () => {
    runs++;
    await sleep(10);
    return runs;
  };
  const values = await Promise.all(Array.from({ length: 50 }, () => flights.run('k', task)));
  t.equal(runs, 1);
  t.same(new Set(values), new Set([1]));
  t.equal(flights.size, 0, 'forgotten once done');
  t.equal(await flights.run('k', task), 2);
  await Promise.all([flights.run('a', task), flights.run('b', task)]);
  t.equal(runs, 4, 'other keys run on their own');
  const failing = () => Promise.reject(new Error('nope'));
  const both = await Promise.allSettled([flights.run('f', failing), flights.run('f', failing)]);
  t.same(both.map((r) => r.status), ['rejected', 'rejected']);
  t.equal(flights.size, 0);
});
