// npm run bench [-- --articles 10000 --connections 10 --warmup 3 --duration 10 --slices 5 --out bench-results.json --only staff]
// Seeds N published articles (PostgreSQL from DATABASE_URL, in a database of its own; else
// PGlite in a temporary folder), starts the built service as a separate process in production
// mode (logging at warn), and drives it with autocannon, with the public cache on and off,
// in turns with a bare Fastify process that serves the same bytes from memory (the ceiling)
// and, on PostgreSQL, one that answers with one prepared query and JSON.stringify (one query).
import type { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { encodeCursor } from '../src/lib/list-query.js';
import { BENCH_ADMIN as ADMIN, prepareBenchDatabase } from './bench-db.js';
import { startProcess, stop } from './bench-process.js';
import { parseArgs } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const N = Number(args.articles ?? 10_000);
const CONNECTIONS = Number(args.connections ?? 10);
const WARMUP = Number(args.warmup ?? 3);
const DURATION = Number(args.duration ?? 10);
// The measured seconds of a scenario and of its references are taken in this many turns each.
const SLICES = Math.max(1, Number(args.slices ?? 5));
const OUT = args.out ?? 'bench-results.json';
const MODES = (args.cache ?? 'on,off').split(',');
// Runs only the scenarios whose name contains this text (e.g. "staff", "search").
const ONLY = args.only;

// ── load ─────────────────────────────────────────────────────────────────────────
interface Result {
  scenario: string;
  mode: string;
  reqPerSec: number;
  p50: number;
  p95: number;
  p97_5: number;
  p99: number;
  errors: number;
  non2xx: number;
  ceilingReqPerSec?: number;
  oneQueryReqPerSec?: number;
}

interface Measured {
  requests: number;
  seconds: number;
  errors: number;
  non2xx: number;
  /** Latencies of the measured runs (ms), for the percentiles autocannon does not report. */
  latencies: number[];
}

type Req = autocannon.Request;
let created = 0;

/** What one load is aimed at: a base URL, its requests and headers. */
interface Target {
  base: string;
  requests: Req[];
  headers?: Record<string, string>;
}

async function measure({ base, requests, headers = {} }: Target, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
  const run = autocannon({ url: base, connections: CONNECTIONS, headers, requests, duration: seconds }) as unknown as Promise<autocannon.Result> & EventEmitter;
  run.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const r = await run;
  return { requests: r.requests.total, seconds, errors: r.errors + r.timeouts, non2xx: r.non2xx, latencies };
}

/**
 * Loads the targets in turn, in SLICES slices each, after a warm-up each: a ratio compares
 * measurements taken side by side. This machine's speed drifts by a third within minutes (a
 * heavy run leaves the next one slower, whatever process serves it), so a ceiling measured
 * once before a scenario could be measured in a different state of the machine.
 */
async function loadInTurns(targets: Target[]): Promise<Measured[]> {
  for (const target of targets) if (WARMUP > 0) await measure(target, WARMUP);
  const slices: Measured[][] = targets.map(() => []);
  for (let i = 0; i < SLICES; i++) {
    for (const [k, target] of targets.entries()) slices[k].push(await measure(target, DURATION / SLICES));
  }
  return slices.map((parts) => ({
    requests: parts.reduce((n, p) => n + p.requests, 0),
    seconds: parts.reduce((n, p) => n + p.seconds, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    non2xx: parts.reduce((n, p) => n + p.non2xx, 0),
    latencies: parts.flatMap((p) => p.latencies),
  }));
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(10 * sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]) / 10;
}

function summarise(scenario: string, mode: string, m: Measured): Result {
  const sorted = m.latencies.sort((a, b) => a - b);
  return {
    scenario, mode, reqPerSec: Math.round(m.requests / m.seconds), p50: percentile(sorted, 50), p95: percentile(sorted, 95),
    p97_5: percentile(sorted, 97.5), p99: percentile(sorted, 99), errors: m.errors, non2xx: m.non2xx,
  };
}

// ── main ─────────────────────────────────────────────────────────────────────────
const prepared = await prepareBenchDatabase({ articles: N, name: `toasoan_bench_${N}`, fresh: args.fresh !== undefined });
const results: Result[] = [];
const oneQueryBy = new Map<string, number>();
try {
  const login = async (base: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    return ((await res.json()) as { token: string }).token;
  };
  for (const mode of MODES) {
    const svc = await startProcess('dist/src/server.js', { ...prepared.env, PUBLIC_CACHE: mode, SCHEDULER_INTERVAL_MS: '0' });
    try {
      const token = await login(svc.base);
      const auth = { authorization: `Bearer ${token}` };
      // The URLs, and the cursor of the deep page as the Link header of page 250 would give it.
      const catPage = '/api/v1/articles?category=nong-nghiep&_start=0&_end=20';
      const first = (await (await fetch(`${svc.base}/api/v1/articles?_start=0&_end=1`)).json()) as Array<{ slug: string }>;
      const slugUrl = `/api/v1/articles/${first[0].slug}`;
      const deepOffset = '/api/v1/articles?_start=5000&_end=5020';
      const deepRows = (await (await fetch(`${svc.base}/api/v1/articles?_start=4999&_end=5000`)).json()) as Array<{ id: number; publishedAt: string }>;
      const deepCursor = `/api/v1/articles?_limit=20&_cursor=${encodeCursor({ offset: 5000, values: [deepRows[0].publishedAt, deepRows[0].id] })}`;
      const search = '/api/v1/articles?q=tan%20hong&_start=0&_end=20';
      const staffList = '/api/v1/articles?_start=0&_end=25&_sort=updatedAt&_order=DESC&status=published&category=kinh-te';

      // The ceiling serves the very bytes of the list page and the article.
      const captured = [];
      for (const path of [catPage, slugUrl]) {
        const res = await fetch(`${svc.base}${path}`);
        captured.push({ path: path.split('?')[0], contentType: res.headers.get('content-type') ?? 'application/json', body: await res.text() });
      }
      const pagesFile = join(tmpdir(), `toasoan-ceiling-${process.pid}.json`);
      writeFileSync(pagesFile, JSON.stringify(captured));

      // The references run beside each scenario: the ceiling, and (once, with the first mode)
      // the one-query server; their processes live for that scenario only.
      const references = async (path: string, withOneQuery: boolean) => {
        const procs = [await startProcess('dist/scripts/bench-ceiling.js', { CEILING_PAGES: pagesFile })];
        if (withOneQuery && prepared.env.DATABASE_URL) procs.push(await startProcess('dist/scripts/bench-one-query.js', { DATABASE_URL: prepared.env.DATABASE_URL }));
        const paths = [path.split('?')[0], path];
        return { procs, targets: procs.map((p, i): Target => ({ base: p.base, requests: [{ method: 'GET', path: paths[i] }] })) };
      };

      const scenarios: Array<[string, Req[], Record<string, string>?, boolean?]> = [
        ['public category list page 1', [{ method: 'GET', path: catPage }], undefined, true],
        ['public article by slug', [{ method: 'GET', path: slugUrl }], undefined, true],
        ['public list deep page (offset 5000)', [{ method: 'GET', path: deepOffset }]],
        ['public list deep page (cursor)', [{ method: 'GET', path: deepCursor }]],
        ['public list page 1 (all)', [{ method: 'GET', path: '/api/v1/articles?_start=0&_end=20' }]],
        ['public search q="tan hong"', [{ method: 'GET', path: search }]],
        ['staff list (admin dialect, filter, X-Total-Count)', [{ method: 'GET', path: staffList }], auth],
        [
          'staff writes (create + PATCH)',
          [
            {
              method: 'POST',
              path: '/api/v1/articles',
              headers: { ...auth, 'content-type': 'application/json' },
              setupRequest: (req: Req) => ({
                ...req,
                body: JSON.stringify({ title: `Bài đo hiệu năng Tân Hồng ${++created}`, summary: 'Tóm tắt', body: '<p>Nội dung</p>', tags: ['Đồng Tháp'] }),
              }),
              onResponse: (_status: number, body: string, context: object) => {
                (context as { id?: number }).id = (JSON.parse(body) as { id: number }).id;
              },
            },
            {
              method: 'PATCH',
              setupRequest: (req: Req, context: object) => ({ ...req, path: `/api/v1/articles/${(context as { id?: number }).id}` }),
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify({ summary: 'Tóm tắt đã sửa' }),
            } as Req,
          ],
        ],
      ];
      for (const [name, requests, headers, withCeiling] of scenarios) {
        if (mode !== MODES[0] && name.startsWith('staff')) continue;
        if (ONLY !== undefined && !name.includes(ONLY)) continue;
        const refs = withCeiling ? await references(requests[0].path!, mode === MODES[0]) : { procs: [], targets: [] };
        let measured: Measured[];
        try {
          measured = await loadInTurns([...refs.targets, { base: svc.base, requests, headers }]);
        } finally {
          for (const p of refs.procs) await stop(p.proc);
        }
        const r = summarise(name, `cache ${mode}`, measured[measured.length - 1]);
        const label = requests[0].path?.split('?')[0];
        const ceiling = withCeiling ? summarise(`ceiling ${label}`, 'memory', measured[0]) : undefined;
        // The one-query reference does not depend on the cache: measured once.
        const oneQuery = refs.targets.length > 1 ? summarise(`one query ${label}`, 'one query', measured[1]) : undefined;
        if (ceiling) {
          r.ceilingReqPerSec = ceiling.reqPerSec;
          results.push(ceiling);
        }
        if (oneQuery) {
          results.push(oneQuery);
          oneQueryBy.set(name, oneQuery.reqPerSec);
        }
        r.oneQueryReqPerSec = oneQueryBy.get(name);
        results.push(r);
        console.log(`${name} [cache ${mode}]: ${r.reqPerSec} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms${ceiling ? ` (ceiling ${ceiling.reqPerSec} req/s)` : ''}`);
      }
      rmSync(pagesFile, { force: true });
    } finally {
      await stop(svc.proc);
    }
  }
} finally {
  prepared.cleanup();
}

// ── report ───────────────────────────────────────────────────────────────────────
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(`\n${N} articles, ${CONNECTIONS} connections, ${WARMUP} s warm-up, ${DURATION} s measured, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}${prepared.seedSeconds ? `, seeded in ${prepared.seedSeconds.toFixed(0)} s` : ''}\n`);
console.log(`${pad('scenario', 52)}${pad('mode', 11)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p95 ms', 8)}${pad('p99 ms', 8)}${pad('vs ceiling', 11)}${pad('vs 1 query', 11)}errors`);
const ratio = (a: number, b?: number) => (b ? `${Math.round((100 * a) / b)} %` : '');
for (const r of results) {
  console.log(
    `${pad(r.scenario.slice(0, 51), 52)}${pad(r.mode, 11)}${pad(r.reqPerSec, 9)}${pad(r.p50, 8)}${pad(r.p95, 8)}${pad(r.p99, 8)}${pad(ratio(r.reqPerSec, r.ceilingReqPerSec), 11)}${pad(ratio(r.reqPerSec, r.oneQueryReqPerSec), 11)}${r.errors + r.non2xx}`,
  );
}
writeFileSync(OUT, JSON.stringify({ articles: N, connections: CONNECTIONS, warmup: WARMUP, duration: DURATION, database: process.env.DATABASE_URL ? 'postgresql' : 'pglite', seedSeconds: prepared.seedSeconds, results }, null, 2));
console.log(`\nresults written to ${OUT}`);
