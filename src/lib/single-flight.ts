// One run per key at a time: whoever asks while a run for the key is under way waits for that
// run rather than starting another. (lib/coalesce.ts is the opposite choice, for reads that must
// not be older than their request; a rendered image never changes, so joining late is right.)

export function singleFlight<V>() {
  const inFlight = new Map<string, Promise<V>>();
  return {
    run(key: string, task: () => Promise<V>): Promise<V> {
      const running = inFlight.get(key);
      if (running) return running;
      const started = Promise.resolve()
        .then(task)
        .finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    get size() {
      return inFlight.size;
    },
  };
}
