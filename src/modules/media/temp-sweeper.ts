// Uploads stream to a temporary file (or object) first; a process killed mid-upload leaves it
// behind. A live upload writes at least every 30 s (slower ones are cut, API.md §1), and a
// finished one is moved within seconds, so a temporary file untouched for STALE_MS is abandoned.
import type { AppContext } from '../../context.js';

export const STALE_MS = 5 * 60_000;
export const SWEEP_EVERY_MS = 60_000;

/**
 * Sweeps now and then every SWEEP_EVERY_MS. `all`: this process alone uses the storage (PGlite,
 * first start), so every temporary file is a previous run's and goes at once.
 */
export function startTempSweeper(ctx: AppContext, all: boolean): { stop(): void } {
  const sweep = (olderThanMs: number) =>
    ctx.storage.removeStaleTemp(new Date(ctx.now().getTime() - olderThanMs)).then(
      (removed) => removed > 0 && ctx.log.info({ removed }, 'removed abandoned temporary media files'),
      (err: unknown) => ctx.log.warn({ err }, 'could not sweep temporary media files'),
    );
  void sweep(all ? 0 : STALE_MS);
  const timer = setInterval(() => void sweep(STALE_MS), SWEEP_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
