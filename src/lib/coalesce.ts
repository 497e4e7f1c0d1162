// Identical requests that arrive together are answered by one run. Unlike a cache, or a
// "single flight" that lets latecomers join a run already under way, a run starts only after
// every request it answers has arrived: requests for a key arrive in one turn of the event loop
// and the run starts in its check phase; those that arrive while it is out wait and share the
// next run, which starts when it returns. No answer is older than its request.

interface Group<V, C> {
  context: C;
  waiters: Array<{ resolve: (value: V) => void; reject: (err: unknown) => void }>;
}

/** `run` for one key at a time; `merge` combines the contexts of the requests a run answers. */
export function coalescing<V, C>(run: (key: string, context: C) => Promise<V>, merge: (a: C, b: C) => C): (key: string, context: C) => Promise<V> {
  const waiting = new Map<string, Group<V, C>>();
  const running = new Set<string>();

  const start = (key: string) => {
    const group = waiting.get(key);
    if (!group) return;
    waiting.delete(key);
    running.add(key);
    // A run that throws instead of rejecting must not leave its key running forever.
    new Promise<V>((resolve) => resolve(run(key, group.context)))
      .finally(() => {
        running.delete(key);
        start(key);
      })
      .then(
        (value) => group.waiters.forEach((w) => w.resolve(value)),
        (err: unknown) => group.waiters.forEach((w) => w.reject(err)),
      );
  };

  return (key, context) =>
    new Promise<V>((resolve, reject) => {
      const group = waiting.get(key);
      if (group) {
        group.waiters.push({ resolve, reject });
        group.context = merge(group.context, context);
        return;
      }
      waiting.set(key, { context, waiters: [{ resolve, reject }] });
      if (!running.has(key)) setImmediate(start, key);
    });
}
