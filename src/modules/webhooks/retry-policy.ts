// What happens after a delivery attempt: delivered, retried later, or given up. Pure: the
// attempt's result, the number of attempts so far and a random source in, a decision out.

/**
 * Waits before retries 1, 2, … (API.md §8). The first ones are short so that a receiver that
 * was briefly down (a deploy, a restart) catches up within a minute; the later ones space out
 * over about two days, after which the delivery is marked failed.
 */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000] as const;

/** The first attempt plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** ±20 %: spreads the retries of many deliveries that failed together (a receiver outage). */
const JITTER = 0.2;

/** The wait after the `attempt`-th failed attempt (1-based), or undefined when none is left. */
export function retryDelayMs(attempt: number, scale = 1, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * scale * (1 - JITTER + 2 * JITTER * random()));
}

/** How an attempt ended, as the HTTP client reports it. */
export type AttemptResult =
  | { kind: 'response'; statusCode: number; durationMs: number }
  | { kind: 'network' | 'timeout' | 'refused'; error: string; durationMs: number };

export type Outcome =
  | { status: 'delivered' }
  | { status: 'pending'; retryInMs: number; error: string }
  | { status: 'failed'; error: string };

/** Network errors, timeouts, refused targets (DNS can change), 5xx and 429 are worth another try. */
export function isRetryable(result: AttemptResult): boolean {
  if (result.kind !== 'response') return true;
  return result.statusCode >= 500 || result.statusCode === 429;
}

export function describeResult(result: AttemptResult): string | null {
  if (result.kind !== 'response') return result.error;
  const { statusCode } = result;
  if (statusCode >= 200 && statusCode < 300) return null;
  if (statusCode >= 300 && statusCode < 400) return `The receiver answered ${statusCode}; redirects are not followed, register the final URL.`;
  return `The receiver answered ${statusCode}.`;
}

export function decideOutcome(result: AttemptResult, attempts: number, scale = 1, random: () => number = Math.random): Outcome {
  const error = describeResult(result);
  if (error === null) return { status: 'delivered' };
  const wait = isRetryable(result) ? retryDelayMs(attempts, scale, random) : undefined;
  if (wait === undefined) return { status: 'failed', error };
  return { status: 'pending', retryInMs: wait, error };
}
