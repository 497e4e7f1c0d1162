/** Thrown by a semaphore's `run` when as many tasks as it may hold are already waiting. */
export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are already waiting.`);
    this.name = 'QueueFullError';
  }
}

/**
 * At most `limit` tasks run at once; the others wait their turn in order. With `maxWaiting`,
 * a task that would make the queue longer is refused at once (QueueFullError) instead.
 */
export function createSemaphore(limit: number, maxWaiting = Infinity) {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finishing task hands its slot straight to the next in line, so that a task arriving in
  // between cannot take it too.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const run = async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit) {
      if (waiting.length >= maxWaiting) throw new QueueFullError(waiting.length);
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
  return Object.assign(run, {
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  });
}

export type Semaphore = ReturnType<typeof createSemaphore>;
