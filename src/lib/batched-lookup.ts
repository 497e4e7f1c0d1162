// Coalesces lookups into few calls (DataLoader's idea, without its cache). The keys asked for in
// one turn of the event loop go out together in its check phase; while a call is out, new keys
// wait and go out together when it returns. So the busier the service, the larger the batches,
// and a request never reads data older than its own arrival: its batch starts after it.

export interface BatchedLookupOptions<K, C> {
  /** Looks up a batch of distinct keys; keys it does not return are not found. */
  fetch: (keys: K[], context: C) => Promise<Map<K, unknown>>;
  /** Largest batch; more keys in one turn are split into several calls. */
  maxBatch: number;
  /** Merges the contexts of the lookups in one batch (e.g. the latest `now`). */
  merge: (a: C, b: C) => C;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export function batchedLookup<K, V, C>(opts: BatchedLookupOptions<K, C>): (key: K, context: C) => Promise<V | undefined> {
  let pending = new Map<K, Waiter[]>();
  let context: C | undefined;
  let scheduled = false;
  let inFlight = 0;

  const run = (keys: K[], waiters: Map<K, Waiter[]>, ctx: C) => {
    inFlight++;
    // A fetch that throws instead of rejecting must not leave the batcher waiting forever.
    new Promise<Map<K, unknown>>((resolve) => resolve(opts.fetch(keys, ctx))).finally(() => {
      inFlight--;
      if (inFlight === 0 && pending.size > 0 && !scheduled) flush();
    }).then(
      (found) => {
        for (const key of keys) for (const w of waiters.get(key)!) w.resolve(found.get(key));
      },
      (err: unknown) => {
        for (const key of keys) for (const w of waiters.get(key)!) w.reject(err);
      },
    );
  };

  const flush = () => {
    const waiters = pending;
    const ctx = context as C;
    pending = new Map();
    context = undefined;
    scheduled = false;
    const keys = [...waiters.keys()];
    for (let i = 0; i < keys.length; i += opts.maxBatch) run(keys.slice(i, i + opts.maxBatch), waiters, ctx);
  };

  return (key, ctx) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiter = { resolve: resolve as (value: unknown) => void, reject };
      const list = pending.get(key);
      if (list) list.push(waiter);
      else pending.set(key, [waiter]);
      context = context === undefined ? ctx : opts.merge(context, ctx);
      if (!scheduled && inFlight === 0) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
