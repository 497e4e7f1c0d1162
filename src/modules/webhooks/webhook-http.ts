// One HTTP POST to a receiver, made safely: the target is resolved and vetted first and the
// socket connects to that vetted address (the `lookup` below answers with it, so Node does not
// ask DNS again); redirects are never followed (node:http does not); the whole attempt, DNS
// included, is bounded by the timeout; at most a few KB of the answer are read and the rest is
// dropped. Never throws: every ending is an AttemptResult.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult } from './retry-policy.js';
import { hostOf, RefusedTarget, type ResolvedAddress, type Resolver, resolveTarget } from './target.js';

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  resolve?: Resolver;
  /** How much of the answer is read before the connection is dropped. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4096;

export async function postJson(rawUrl: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<AttemptResult> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  try {
    const url = new URL(rawUrl);
    const target = await untilAborted(resolveTarget(url, opts.allowPrivate, opts.resolve), abort.signal);
    const statusCode = await send(url, target, body, headers, abort.signal, opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    return { kind: 'response', statusCode, durationMs: durationMs() };
  } catch (err) {
    if (abort.signal.aborted) return { kind: 'timeout', error: `No answer within ${opts.timeoutMs} ms.`, durationMs: durationMs() };
    if (err instanceof RefusedTarget) return { kind: 'refused', error: `Refused target: ${err.message}.`, durationMs: durationMs() };
    return { kind: 'network', error: describeNetworkError(err), durationMs: durationMs() };
  } finally {
    clearTimeout(timer);
  }
}

function send(url: URL, target: ResolvedAddress, body: string, headers: Record<string, string>, signal: AbortSignal, maxBytes: number): Promise<number> {
  // Connect to the address that was vetted; the Host header and TLS name stay the URL's host.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise((resolve, reject) => {
    let statusCode: number | undefined;
    const req = (url.protocol === 'https:' ? https : http).request({
      method: 'POST',
      protocol: url.protocol,
      hostname: hostOf(url),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
      signal,
    });
    req.on('response', (res) => {
      statusCode = res.statusCode ?? 0;
      const done = () => resolve(statusCode!);
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > maxBytes) {
          res.destroy();
          done();
        }
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    // Once the status is known, a timeout or reset while the answer's body drains changes nothing.
    req.on('error', (err) => (statusCode === undefined ? reject(err) : resolve(statusCode)));
    req.end(body);
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function describeNetworkError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code}): ${message}`;
  return code ? `Connection failed (${code}): ${message}` : `Connection failed: ${message}`;
}
