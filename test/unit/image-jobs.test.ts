// At most SHARP_JOBS images are decoded at once (media.images.ts), also for a caller that
// arrives in the microtask window right after a job ends: the hand-written semaphore this
// replaced let that caller in beside the waiter it had just woken.
import t from 'tap';
import { imageJobs, SHARP_JOBS } from '../../src/modules/media/media.images.js';

t.test('never more than SHARP_JOBS at once, whenever callers arrive', async (t) => {
  let active = 0;
  let max = 0;
  const gates: Array<() => void> = [];
  const jobs: Array<Promise<void>> = [];
  const job = () =>
    jobs.push(
      imageJobs(async () => {
        active++;
        max = Math.max(max, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
      }),
    );
  /** A new caller at each of the next `depth` microtasks. */
  const arriveDuring = (depth: number) => {
    let p = Promise.resolve();
    for (let i = 0; i < depth; i++) p = p.then(() => void job());
    return p;
  };
  for (let i = 0; i < SHARP_JOBS + 2; i++) job();
  for (let round = 0; round < 40; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    const gate = gates.shift();
    if (!gate) break;
    gate();
    if (round < 10) await arriveDuring(12);
  }
  while (gates.length > 0 || active > 0) {
    gates.splice(0).forEach((g) => g());
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(jobs);
  t.ok(jobs.length > 100, `${jobs.length} jobs`);
  t.equal(max, SHARP_JOBS, `at most ${SHARP_JOBS} ran at once`);
  t.equal(imageJobs.activeCount + imageJobs.pendingCount, 0);
});
