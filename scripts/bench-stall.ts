// npm run bench:stall [-- --articles 50000 --clients 10 --duration 15 --runs 3 --data-dir DIR --fresh]
// Does a slow anonymous query stall everyone? Seeds N published articles (PostgreSQL from
// DATABASE_URL in a database of its own, else PGlite in a folder kept between runs), starts the
// built service with the public cache off, and has `clients` clients run short `_like` filters
// back to back (1–2 characters: no trigram can serve them, so each one scans the articles) while
// one more client asks for /health every 20 ms. Reports /health latency (p50, p99, max) and the
// scans' throughput, per run: the machine is shared, so the spread between runs is part of the answer.
// Before each run /health is probed alone for a few seconds: what the machine allows at that moment.
import type { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { prepareBenchDatabase } from './bench-db.js';
import { startProcess, stop } from './bench-process.js';
import { parseArgs } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const N = Number(args.articles ?? 50_000);
const CLIENTS = Number(args.clients ?? 10);
const DURATION = Number(args.duration ?? 15);
const RUNS = Math.max(1, Number(args.runs ?? 3));
const WARMUP = 2;
const IDLE_SECONDS = 5;
const PROBE_EVERY_MS = 20;

// Letters that Vietnamese titles (folded) rarely or never hold: most of these match nothing, and
// a page of 20 that matches nothing is found only by reading every row.
const LETTERS = 'fjwzqx';
const VALUES = [...LETTERS, ...[...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b))];

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(10 * sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]) / 10;
}

/** Asks for /health every PROBE_EVERY_MS until `until`, one request at a time; returns the latencies. */
async function probeHealth(base: string, until: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  while (Date.now() < until) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}/health`);
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
    } catch {
      failed++;
    }
    latencies.push(performance.now() - t0);
    await sleep(PROBE_EVERY_MS);
  }
  return { latencies, failed };
}

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}

function latencyOf(probe: { latencies: number[]; failed: number }): Latency {
  const sorted = [...probe.latencies].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100), failed: probe.failed };
}

interface Run {
  idle: Latency;
  health: Latency;
  scans: { perSec: number; p50: number; p99: number; non2xx: number; errors: number };
}

/** Waits until the service's database answers at once: the scans of the previous run are over. */
async function settle(base: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const t0 = Date.now();
    const res = await fetch(`${base}/ready`).catch(() => undefined);
    if (res?.status === 200 && Date.now() - t0 < 500) return;
    await sleep(500);
  }
}

async function runOnce(base: string): Promise<Run> {
  await settle(base);
  const idle = latencyOf(await probeHealth(base, Date.now() + IDLE_SECONDS * 1000));
  let next = 0;
  const requests: autocannon.Request[] = [
    { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/articles?title_like=${VALUES[next++ % VALUES.length]}` }) },
  ];
  const latencies: number[] = [];
  const load = autocannon({ url: base, connections: CLIENTS, requests, duration: WARMUP + DURATION, timeout: 60 }) as unknown as Promise<autocannon.Result> & EventEmitter;
  const started = Date.now();
  load.on('response', (_c: unknown, _s: number, _b: number, ms: number) => {
    if (Date.now() - started > WARMUP * 1000) latencies.push(ms);
  });
  await sleep(WARMUP * 1000);
  const probe = await probeHealth(base, started + (WARMUP + DURATION) * 1000);
  const result = await load;
  const scans = latencies.sort((a, b) => a - b);
  return {
    idle,
    health: latencyOf(probe),
    scans: { perSec: Math.round((10 * scans.length) / DURATION) / 10, p50: percentile(scans, 50), p99: percentile(scans, 99), non2xx: result.non2xx, errors: result.errors + result.timeouts },
  };
}

const dbLabel = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const prepared = await prepareBenchDatabase({
  articles: N,
  name: `toasoan_stall_${N}`,
  fresh: args.fresh !== undefined,
  dataDir: args['data-dir'] ?? join(tmpdir(), `toasoan-bench-stall-${N}`),
});
const runs: Run[] = [];
const svc = await startProcess('dist/src/server.js', { ...prepared.env, PUBLIC_CACHE: 'off', SCHEDULER_INTERVAL_MS: '0', WEBHOOK_POLL_MS: '0' });
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(svc.base);
    runs.push(r);
    console.log(
      `run ${i + 1}: idle /health p50 ${r.idle.p50} ms, p99 ${r.idle.p99} ms | loaded /health p50 ${r.health.p50} ms, p99 ${r.health.p99} ms, max ${r.health.max} ms (${r.health.n} probes, ${r.health.failed} failed) | ` +
        `scans ${r.scans.perSec}/s, p50 ${r.scans.p50} ms, p99 ${r.scans.p99} ms, non-2xx ${r.scans.non2xx}, errors ${r.scans.errors}`,
    );
  }
} finally {
  await stop(svc.proc);
  prepared.cleanup();
}
const p99s = runs.map((r) => r.health.p99).sort((a, b) => a - b);
console.log(`\n${dbLabel}, ${N} articles, ${CLIENTS} clients of title_like (${VALUES.length} values), ${DURATION} s × ${RUNS} runs`);
const idle99s = runs.map((r) => r.idle.p99).sort((a, b) => a - b);
const spread = (xs: number[]) => `min ${xs[0]} ms, median ${xs[Math.floor(xs.length / 2)]} ms, max ${xs[xs.length - 1]} ms`;
console.log(`/health p99 under the scans over the runs: ${spread(p99s)}`);
console.log(`/health p99 alone (the machine's floor then): ${spread(idle99s)}`);
