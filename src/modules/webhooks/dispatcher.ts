// Sends due webhook deliveries. Woken by the events channel (pg_notify fires on commit, on every
// instance) and by a poll, which also picks up retries as they come due and anything missed
// while the listener was down. Any number of instances may run it on one database: claiming
// (SKIP LOCKED plus a lease) gives each attempt to exactly one of them.
//
// A lease is short and renewed while its attempt runs, so the deliveries of an instance that dies
// (kill -9, a lost machine) are taken over within LEASE_MS by the others. With PGlite one process
// owns the database: at start (`reclaim`) every lease is a dead process's, and is released at once.
import type { AppContext } from '../../context.js';
import { EVENTS_CHANNEL } from '../../events/outbox.js';
import { claimDueDeliveries, type ClaimedDelivery, releaseAllLeases, renewLeases } from './deliveries.queries.js';
import { attemptDelivery } from './delivery-attempt.js';

/** Attempts in flight per instance: enough for slow receivers not to hold everything up. */
const MAX_IN_FLIGHT = 16;

export const LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;

export interface Dispatcher {
  /** Stops claiming, then waits for the attempts in flight (bounded by their timeout). */
  stop(): Promise<void>;
}

export async function startWebhookDispatcher(ctx: AppContext, reclaim: boolean): Promise<Dispatcher> {
  if (reclaim) {
    const released = await releaseAllLeases(ctx.db, ctx.now());
    if (released > 0) ctx.log.info({ released }, 'webhook deliveries left in flight by a previous run are due again');
  }
  const inFlight = new Set<Promise<void>>();
  const claims = new Set<ClaimedDelivery>();
  let pumping: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const pump = async () => {
    do {
      again = false;
      const free = MAX_IN_FLIGHT - inFlight.size;
      // Full: every finishing attempt wakes the dispatcher again.
      if (free <= 0) return;
      const now = ctx.now();
      const claimed = await claimDueDeliveries(ctx.db, now, free, new Date(now.getTime() + LEASE_MS));
      for (const c of claimed) {
        claims.add(c);
        const attempt: Promise<void> = attemptDelivery(ctx, c)
          .then(() => undefined)
          .catch((err: unknown) => ctx.log.warn({ err, deliveryId: c.id }, 'webhook attempt could not be recorded; it is retried when its lease ends'))
          .finally(() => {
            claims.delete(c);
            inFlight.delete(attempt);
            // The next delivery of the same entity may be unblocked now.
            wake();
          });
        inFlight.add(attempt);
      }
      if (claimed.length === free) again = true;
    } while (again && !stopped);
  };

  const wake = () => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump()
      .catch((err: unknown) => ctx.log.warn({ err }, 'webhook dispatcher could not claim deliveries; will retry'))
      .finally(() => {
        pumping = null;
        if (again) wake();
      });
  };

  let unlisten: (() => Promise<void>) | undefined;
  try {
    unlisten = await ctx.database.listen(EVENTS_CHANNEL, wake);
  } catch (err) {
    ctx.log.warn({ err }, 'webhook dispatcher cannot listen for events; polling only');
  }
  const timer = setInterval(wake, ctx.config.webhookPollMs);
  timer.unref();
  const renewal = setInterval(() => {
    renewLeases(ctx.db, [...claims], new Date(ctx.now().getTime() + LEASE_MS)).catch((err: unknown) =>
      ctx.log.warn({ err }, 'webhook dispatcher could not renew its leases'),
    );
  }, RENEW_EVERY_MS);
  renewal.unref();
  wake();

  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await unlisten?.().catch(() => {});
      await pumping;
      await Promise.allSettled([...inFlight]);
      clearInterval(renewal);
    },
  };
}
