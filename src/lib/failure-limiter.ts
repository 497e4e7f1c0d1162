// Budgets of failed attempts in fixed windows: logins per address and per account (API.md §4),
// preview-token lookups per address (§5). An attempt takes a unit of its budgets BEFORE the
// costly check (a password hash, a token lookup) and gets it back only when it succeeds. So
// attempts sent at once get no more checks than the same attempts sent one after another: each
// unit is taken atomically in the store, and an attempt that finds no unit left is refused
// without being checked. Where the counts live is a BudgetStore (process memory with the
// embedded database, the database with PostgreSQL: src/db/failure-budget-store.ts).

/** A key and how many failures it may have in one window. */
export type Budget = readonly [key: string, max: number];

/** A store's answer for one budget. */
export interface Grant {
  key: string;
  /** Whether a unit was taken; false when the budget had none left in its window. */
  granted: boolean;
  /** When the key's window ends (ms since the epoch). */
  resetAt: number;
}

export interface BudgetStore {
  /**
   * Takes one unit from each budget that has one left in its window, each key atomically: of
   * any number of concurrent takes, at most `max` per window are granted. A key with no window
   * open starts one of `windowMs`.
   */
  take(budgets: readonly Budget[], now: number, windowMs: number): Promise<Grant[]>;
  /** Gives back one unit taken in the key's current window. */
  refund(keys: readonly string[], now: number): Promise<void>;
  /** Forgets a key's count. */
  clear(key: string): Promise<void>;
}

export interface LimiterOptions {
  windowMs: number;
}

export class FailureLimiter {
  constructor(
    private readonly store: BudgetStore,
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes a unit of every budget for one attempt: 0 when the attempt may go ahead, else the
   * seconds until it may. All or nothing: when one budget is spent, the units taken from the
   * others are given back, so a refused attempt costs no budget.
   */
  async reserve(budgets: readonly Budget[]): Promise<number> {
    const t = this.now();
    const grants = await this.store.take(budgets, t, this.opts.windowMs);
    const refused = grants.filter((g) => !g.granted);
    if (refused.length === 0) return 0;
    const taken = grants.filter((g) => g.granted).map((g) => g.key);
    if (taken.length > 0) await this.store.refund(taken, t);
    return Math.max(1, ...refused.map((g) => Math.ceil((g.resetAt - t) / 1000)));
  }

  /** The attempt succeeded: its unit was not a failure. */
  refund(keys: readonly string[]): Promise<void> {
    return this.store.refund(keys, this.now());
  }

  clear(key: string): Promise<void> {
    return this.store.clear(key);
  }
}

/** Login budgets: about 10 failures per account and 30 per address in 15 minutes. */
export class LoginLimiter {
  constructor(
    private readonly limiter: FailureLimiter,
    private readonly max = { perAccount: 10, perAddress: 30 },
  ) {}

  private addressKey = (address: string) => `login-addr:${address}`;
  private accountKey = (account: string) => `login-acct:${account}`;

  /** Reserves one password check: 0 to go ahead, else the seconds to wait (a 429). */
  reserve(address: string, account: string): Promise<number> {
    return this.limiter.reserve([
      [this.addressKey(address), this.max.perAddress],
      [this.accountKey(account), this.max.perAccount],
    ]);
  }

  /**
   * A successful login: its unit of the address's budget is given back (the budget counts
   * failures), and the account's failures are forgotten. The address's earlier failures stay.
   */
  async recordSuccess(address: string, account: string): Promise<void> {
    await this.limiter.refund([this.addressKey(address)]);
    await this.limiter.clear(this.accountKey(account));
  }
}
