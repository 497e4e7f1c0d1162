// Where article bodies are cleaned: small ones in place, large ones on a worker thread, so that
// no body, however built, holds up other requests (API.md §1, §5). The rules are sanitize-body.ts.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { type CleanOutcome, makeBodyCleaner } from './sanitize-body.js';
import type { CleanTask } from './sanitize-body.worker.js';

/**
 * Bodies up to this many characters are cleaned on the calling thread. The costliest such body
 * (`<p>x` repeated) takes about 10 ms on a busy 2-core machine, a typical one about 1 ms; tests
 * and short articles never start a worker.
 */
export const INLINE_MAX_CHARS = 8_192;

export interface BodySanitizer {
  /** Cleans a body, or says why it is refused. */
  sanitize(html: string): Promise<CleanOutcome>;
  /** Stops the worker threads, if any were started. */
  close(): Promise<void>;
}

// From source (tsx, tap) the worker is the .ts file next to this one; from dist, the .js.
const WORKER = new URL(`./sanitize-body.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

export function makeBodySanitizer(iframeHosts: string[], opts: { inlineMaxChars?: number } = {}): BodySanitizer {
  const inlineMaxChars = opts.inlineMaxChars ?? INLINE_MAX_CHARS;
  const cleanHere = makeBodyCleaner(iframeHosts);
  // Started on the first large body: most processes (and tests) never need it.
  let pool: Piscina<CleanTask, CleanOutcome> | undefined;
  let closed = false;
  return {
    async sanitize(html) {
      if (html.length <= inlineMaxChars) return cleanHere(html);
      if (closed) throw new Error('the body sanitizer is closed');
      pool ??= new Piscina<CleanTask, CleanOutcome>({
        filename: WORKER,
        // Leave a core to the request thread; one warm thread stays once started.
        minThreads: 1,
        maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
        idleTimeout: 30_000,
      });
      return pool.run({ html, iframeHosts });
    },
    async close() {
      closed = true;
      await pool?.destroy();
    },
  };
}
