// A clock for buildApp's `now`, which tests move on instead of waiting: `advance(ms)` jumps the
// service's time forward at once. It runs on with real time between jumps, so that what the
// service does with real timers (webhook retries, leases, the scheduler's interval) still comes
// due. Rules about time are then tested with jumps far larger than a test takes (minutes, not
// milliseconds), so that no timing of the machine decides them.
export interface Clock {
  /** The service's time: the real time plus every advance so far. */
  now(): Date;
  /** Moves the service's time on by `ms`; returns the new time. */
  advance(ms: number): Date;
  /** `ms` from the service's now, as API.md dates are written (ISO 8601). */
  iso(ms?: number): string;
}

export function createClock(): Clock {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  return {
    now,
    advance(ms) {
      if (ms < 0) throw new Error('a clock only moves forward');
      offset += ms;
      return now();
    },
    iso: (ms = 0) => new Date(now().getTime() + ms).toISOString(),
  };
}

/** Polls `check` until it holds or `ms` pass; returns whether it held. For async work, not for time rules. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000, everyMs = 20): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
