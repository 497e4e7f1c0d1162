// Counts failed logins per client address and per account in fixed windows (API.md §4).
// In memory, bounded: a restart forgets the counts, which only ever helps a legitimate user.

export interface LimiterOptions {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
  maxKeys?: number;
}

interface Bucket {
  failures: number;
  resetAt: number;
}

export class LoginLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the caller may try again, or 0 when neither budget is spent. */
  retryAfter(address: string, account: string): number {
    const t = this.now();
    let wait = 0;
    for (const [key, max] of this.keys(address, account)) {
      const b = this.live(key, t);
      if (b && b.failures >= max) wait = Math.max(wait, Math.ceil((b.resetAt - t) / 1000));
    }
    return wait;
  }

  recordFailure(address: string, account: string): void {
    const t = this.now();
    for (const [key] of this.keys(address, account)) {
      const b = this.live(key, t) ?? { failures: 0, resetAt: t + this.opts.windowMs };
      b.failures++;
      this.buckets.delete(key);
      this.buckets.set(key, b);
    }
    this.evict();
  }

  /** A successful login clears the account's count, never the address's. */
  recordSuccess(account: string): void {
    this.buckets.delete(`acct:${account}`);
  }

  private keys(address: string, account: string): Array<[string, number]> {
    return [
      [`addr:${address}`, this.opts.maxPerAddress],
      [`acct:${account}`, this.opts.maxPerAccount],
    ];
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
