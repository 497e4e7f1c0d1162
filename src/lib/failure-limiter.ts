// Counts failures per key in fixed windows: failed logins per address and per account
// (API.md §4), failed preview-token lookups per address (§5). In memory and bounded: a restart
// forgets the counts, which only ever helps a legitimate user.

export interface LimiterOptions {
  windowMs: number;
  maxKeys?: number;
}

/** A key and how many failures it may have in one window. */
export type Budget = readonly [key: string, max: number];

interface Bucket {
  failures: number;
  resetAt: number;
}

export class FailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until every budget allows another try, or 0 when none is spent. */
  retryAfter(budgets: readonly Budget[]): number {
    const t = this.now();
    let wait = 0;
    for (const [key, max] of budgets) {
      const b = this.live(key, t);
      if (b && b.failures >= max) wait = Math.max(wait, Math.ceil((b.resetAt - t) / 1000));
    }
    return wait;
  }

  recordFailure(budgets: readonly Budget[]): void {
    const t = this.now();
    for (const [key] of budgets) {
      const b = this.live(key, t) ?? { failures: 0, resetAt: t + this.opts.windowMs };
      b.failures++;
      // Re-insert so the map's order is oldest-touched first, for eviction.
      this.buckets.delete(key);
      this.buckets.set(key, b);
    }
    this.evict();
  }

  reset(key: string): void {
    this.buckets.delete(key);
  }

  private live(key: string, t: number): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b && b.resetAt <= t) {
      this.buckets.delete(key);
      return undefined;
    }
    return b;
  }

  private evict(): void {
    const max = this.opts.maxKeys ?? 100_000;
    while (this.buckets.size > max) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/** Login budgets: about 10 failures per account and 30 per address in 15 minutes. */
export class LoginLimiter {
  constructor(
    private readonly limiter: FailureLimiter,
    private readonly max = { perAccount: 10, perAddress: 30 },
  ) {}

  private budgets(address: string, account: string): Budget[] {
    return [
      [`login-addr:${address}`, this.max.perAddress],
      [`login-acct:${account}`, this.max.perAccount],
    ];
  }

  retryAfter(address: string, account: string): number {
    return this.limiter.retryAfter(this.budgets(address, account));
  }

  recordFailure(address: string, account: string): void {
    this.limiter.recordFailure(this.budgets(address, account));
  }

  /** A successful login clears the account's count, never the address's. */
  recordSuccess(account: string): void {
    this.limiter.reset(`login-acct:${account}`);
  }
}
