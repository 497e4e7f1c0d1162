// Failure budgets in process memory, for the embedded database: one process owns a data folder,
// so its memory sees every attempt. Bounded: past `maxKeys` the least recently touched keys are
// dropped. A restart forgets the counts, which only ever helps a legitimate user.
import type { Budget, BudgetStore, Grant } from './failure-limiter.js';

interface Bucket {
  failures: number;
  resetAt: number;
}

export class MemoryBudgetStore implements BudgetStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 100_000) {}

  // No await between reading and writing a bucket: each take is atomic on the one thread.
  async take(budgets: readonly Budget[], now: number, windowMs: number): Promise<Grant[]> {
    const grants = budgets.map(([key, max]): Grant => {
      const b = this.live(key, now) ?? { failures: 0, resetAt: now + windowMs };
      const granted = b.failures < max;
      if (granted) b.failures++;
      // Re-insert so that the map's order is least recently touched first, for eviction.
      this.buckets.delete(key);
      this.buckets.set(key, b);
      return { key, granted, resetAt: b.resetAt };
    });
    this.evict();
    return grants;
  }

  async refund(keys: readonly string[], now: number): Promise<void> {
    for (const key of keys) {
      const b = this.live(key, now);
      if (b && b.failures > 0) b.failures--;
    }
  }

  async clear(key: string): Promise<void> {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private live(key: string, now: number): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b && b.resetAt <= now) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }

  private evict(): void {
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
