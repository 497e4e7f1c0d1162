// Lookups by key, gathered into few calls (DataLoader's idea, without its cache): all the keys
// asked for together share one run of coalesce.ts, so they go out in one turn's check phase, and
// keys asked for while a batch is out wait and go out together when it returns. The busier the
// service, the larger the batches; no request reads data older than its own arrival.
import { coalescing } from './coalesce.js';

export interface BatchedLookupOptions<K, C> {
  /** Looks up a batch of distinct keys; keys it does not return are not found. */
  fetch: (keys: K[], context: C) => Promise<Map<K, unknown>>;
  /** Largest batch; more keys at once are split into several calls. */
  maxBatch: number;
  /** Merges the contexts of the lookups in one batch (e.g. the latest `now`). */
  merge: (a: C, b: C) => C;
}

type Outcome = { value: unknown } | { error: unknown };

export function batchedLookup<K, V, C>(opts: BatchedLookupOptions<K, C>): (key: K, context: C) => Promise<V | undefined> {
  const fetchAll = async (_: string, { keys, context }: { keys: K[]; context: C }) => {
    const all = [...new Set(keys)];
    const outcomes = new Map<K, Outcome>();
    const calls = [];
    for (let i = 0; i < all.length; i += opts.maxBatch) {
      const chunk = all.slice(i, i + opts.maxBatch);
      // A failed call fails its own keys only.
      calls.push(
        Promise.resolve()
          .then(() => opts.fetch(chunk, context))
          .then(
            (found) => chunk.forEach((k) => outcomes.set(k, { value: found.get(k) })),
            (error: unknown) => chunk.forEach((k) => outcomes.set(k, { error })),
          ),
      );
    }
    await Promise.all(calls);
    return outcomes;
  };
  // One key for all lookups: the batch is the run; its context gathers the keys.
  const batch = coalescing(fetchAll, (a, b) => {
    a.keys.push(...b.keys);
    a.context = opts.merge(a.context, b.context);
    return a;
  });
  return (key, context) =>
    batch('', { keys: [key], context }).then((outcomes) => {
      const outcome = outcomes.get(key)!;
      if ('error' in outcome) throw outcome.error;
      return outcome.value as V | undefined;
    });
}
