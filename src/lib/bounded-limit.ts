// p-limit with a bound on its waiting line: past it, a task is refused at once, so that a flood
// gets a quick "busy" answer instead of a queue that grows with it.
import pLimit from 'p-limit';

/** Thrown when as many tasks as the line may hold are already waiting. */
export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are already waiting.`);
    this.name = 'QueueFullError';
  }
}

/** At most `concurrency` tasks run at once and at most `maxWaiting` wait; others are refused. */
export function boundedLimit(concurrency: number, maxWaiting = Infinity) {
  const limit = pLimit(concurrency);
  const run = <T>(task: () => Promise<T>): Promise<T> =>
    // Both counts move synchronously when a task is added or starts, so their sum is exact.
    limit.activeCount + limit.pendingCount >= concurrency + maxWaiting ? Promise.reject(new QueueFullError(limit.pendingCount)) : limit(task);
  return Object.assign(run, {
    get running() {
      return limit.activeCount;
    },
    get waiting() {
      return limit.pendingCount;
    },
  });
}
