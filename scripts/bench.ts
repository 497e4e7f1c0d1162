// npm run bench [-- --articles 10000 --connections 10 --warmup 3 --duration 10 --slices 5 --out bench-results.json --only staff,teaser]
// Seeds N published articles (PostgreSQL from DATABASE_URL, in a database of its own; else
// PGlite in a temporary folder), starts the built service as a separate process in production
// mode (logging at warn), and drives it with autocannon, with the public cache on and off,
// in turns with references serving the same answer: a bare Fastify process that serves the same
// bytes from memory (the ceiling), a plain node:http process that does the same (node:http),
// and, on PostgreSQL, a bare Fastify process that answers with one prepared query and
// JSON.stringify (one query).
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
// Runs only the scenarios whose name contains this text, or one of these (e.g. "staff", "teaser,slug,RSS").
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
  nodeHttpReqPerSec?: number;
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
/**
 * The references a scenario is measured beside, each with the cache mode it runs in ('each': in
 * every mode): the ceiling (bare Fastify, the same bytes from memory), one query (bare Fastify,
 * one prepared query, JSON.stringify; PostgreSQL only), node:http (plain node:http, the same
 * bytes prebuilt). A mode not run (--cache) falls back to the first mode that is.
 */
type RefKind = 'ceiling' | 'oneQuery' | 'nodeHttp';
type Refs = Partial<Record<RefKind, 'each' | 'on' | 'off'>>;
const REF_SCRIPTS: Record<RefKind, string> = {
  ceiling: 'dist/scripts/bench-ceiling.js',
  oneQuery: 'dist/scripts/bench-one-query.js',
  nodeHttp: 'dist/scripts/bench-node-http.js',
};
const REF_LABELS: Record<RefKind, string> = { ceiling: 'memory', oneQuery: 'one query', nodeHttp: 'node:http' };
const runsIn = (when: string, mode: string) => when === 'each' || when === mode || (!MODES.includes(when) && mode === MODES[0]);

interface Scenario {
  name: string;
  requests: Req[];
  headers?: Record<string, string>;
  refs?: Refs;
}

// The service's links: the ones of a newsroom with a website (`{site}/{category}/{slug}`), the
// same whatever port it gets; the one-query reference writes them the same way.
const LINKS = { SITE_URL: 'https://baotoasoan.example.vn', PUBLIC_URL: 'https://api.baotoasoan.example.vn' };
const TEASER_FIELDS = 'id,title,slug,summary,publishedAt,category,cover,url';

/** The same JSON, key order included (the one-query reference's spacing differs from PostgreSQL's). */
const sameJson = (a: string, b: string) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};

const prepared = await prepareBenchDatabase({ articles: N, name: `toasoan_bench_${N}`, fresh: args.fresh !== undefined });
const results: Result[] = [];
/** The measure of each scenario's references (scenario|kind) in the current mode. */
const refBy = new Map<string, number>();
try {
  const login = async (base: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    return ((await res.json()) as { token: string }).token;
  };
  for (const mode of MODES) {
    const svc = await startProcess('dist/src/server.js', { ...prepared.env, ...LINKS, PUBLIC_CACHE: mode, SCHEDULER_INTERVAL_MS: '0' });
    try {
      const token = await login(svc.base);
      const auth = { authorization: `Bearer ${token}` };
      // The URLs, and the cursor of the deep page as the Link header of page 250 would give it.
      const catPage = '/api/v1/articles?category=nong-nghiep&_start=0&_end=20';
      const teaserPage = `/api/v1/articles?category=nong-nghiep&_start=0&_end=20&fields=${TEASER_FIELDS}`;
      const first = (await (await fetch(`${svc.base}/api/v1/articles?_start=0&_end=1`)).json()) as Array<{ slug: string }>;
      const slugUrl = `/api/v1/articles/${first[0].slug}`;
      const deepOffset = '/api/v1/articles?_start=5000&_end=5020';
      const deepRows = (await (await fetch(`${svc.base}/api/v1/articles?_start=4999&_end=5000`)).json()) as Array<{ id: number; publishedAt: string }>;
      const deepCursor = `/api/v1/articles?_limit=20&_cursor=${encodeCursor({ offset: 5000, values: [deepRows[0].publishedAt, deepRows[0].id] })}`;
      const search = '/api/v1/articles?q=tan%20hong&_start=0&_end=20';
      const staffList = '/api/v1/articles?_start=0&_end=25&_sort=updatedAt&_order=DESC&status=published&category=kinh-te';
      const get = (path: string): Req[] => [{ method: 'GET', path }];

      const scenarios: Scenario[] = [
        { name: 'public category list page 1', requests: get(catPage), refs: { ceiling: 'each', oneQuery: 'off' } },
        { name: 'public article by slug', requests: get(slugUrl), refs: { ceiling: 'each', oneQuery: 'off', nodeHttp: 'on' } },
        { name: 'public teaser page (category, fields=8 teaser fields)', requests: get(teaserPage), refs: { oneQuery: 'off', nodeHttp: 'on' } },
        { name: 'public RSS feed (articles.rss)', requests: get('/api/v1/feeds/articles.rss'), refs: { ceiling: 'each' } },
        { name: 'public list deep page (offset 5000)', requests: get(deepOffset) },
        { name: 'public list deep page (cursor)', requests: get(deepCursor) },
        { name: 'public list page 1 (all)', requests: get('/api/v1/articles?_start=0&_end=20') },
        { name: 'public search q="tan hong"', requests: get(search) },
        { name: 'staff list (admin dialect, filter, X-Total-Count)', requests: get(staffList), headers: auth },
        {
          name: 'staff writes (create + PATCH)',
          requests: [
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
        },
      ];

      // The references of a scenario run beside it only; the ceiling and node:http serve the
      // very bytes the service answered for its URL (captured now, in this mode).
      const pagesFile = join(tmpdir(), `toasoan-ceiling-${process.pid}.json`);
      const references = async (name: string, path: string, refs: Refs) => {
        const kinds = (Object.keys(refs) as RefKind[]).filter((k) => runsIn(refs[k]!, mode) && (k !== 'oneQuery' || prepared.env.DATABASE_URL));
        if (!kinds.length) return { kinds, procs: [], targets: [] };
        const res = await fetch(`${svc.base}${path}`);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`);
        writeFileSync(pagesFile, JSON.stringify([{ path: path.split('?')[0], contentType: res.headers.get('content-type') ?? 'application/json', body }]));
        const procs = [];
        for (const k of kinds) procs.push(await startProcess(REF_SCRIPTS[k], k === 'oneQuery' ? { DATABASE_URL: prepared.env.DATABASE_URL, ...LINKS } : { CEILING_PAGES: pagesFile }));
        const targets = procs.map((p, i): Target => ({ base: p.base, requests: get(kinds[i] === 'ceiling' ? path.split('?')[0] : path) }));
        const q = kinds.indexOf('oneQuery');
        if (q >= 0) {
          const theirs = await (await fetch(`${targets[q].base}${path}`)).text();
          if (!sameJson(theirs, body)) console.warn(`WARNING ${name}: the one-query reference does not answer the same JSON (${theirs.length} against ${body.length} bytes)`);
        }
        console.log(`${name} [cache ${mode}]: ${Buffer.byteLength(body)} bytes, beside ${kinds.map((k) => REF_LABELS[k]).join(', ')}`);
        return { kinds, procs, targets };
      };

      for (const { name, requests, headers, refs = {} } of scenarios) {
        if (mode !== MODES[0] && name.startsWith('staff')) continue;
        if (ONLY !== undefined && !ONLY.split(',').some((part) => name.includes(part))) continue;
        const ref = await references(name, requests[0].path!, refs);
        let measured: Measured[];
        try {
          measured = await loadInTurns([...ref.targets, { base: svc.base, requests, headers }]);
        } finally {
          for (const p of ref.procs) await stop(p.proc);
        }
        const r = summarise(name, `cache ${mode}`, measured[measured.length - 1]);
        const line: string[] = [];
        for (const [i, kind] of ref.kinds.entries()) {
          const m = summarise(`${REF_LABELS[kind]}: ${name}`, REF_LABELS[kind], measured[i]);
          results.push(m);
          refBy.set(`${name}|${kind}`, m.reqPerSec);
          line.push(`${REF_LABELS[kind]} ${m.reqPerSec} req/s`);
        }
        // Ratios only against the references measured beside this row, in turns with it.
        const beside = (kind: RefKind) => (ref.kinds.includes(kind) ? refBy.get(`${name}|${kind}`) : undefined);
        r.ceilingReqPerSec = beside('ceiling');
        r.oneQueryReqPerSec = beside('oneQuery');
        r.nodeHttpReqPerSec = beside('nodeHttp');
        results.push(r);
        console.log(`${name} [cache ${mode}]: ${r.reqPerSec} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms${line.length ? ` (${line.join(', ')})` : ''}`);
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
console.log(`${pad('scenario', 62)}${pad('mode', 11)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p95 ms', 8)}${pad('p99 ms', 8)}${pad('vs ceiling', 11)}${pad('vs 1 query', 11)}${pad('vs node:http', 13)}errors`);
const ratio = (a: number, b?: number) => (b ? `${Math.round((100 * a) / b)} %` : '');
for (const r of results) {
  console.log(
    `${pad(r.scenario.slice(0, 61), 62)}${pad(r.mode, 11)}${pad(r.reqPerSec, 9)}${pad(r.p50, 8)}${pad(r.p95, 8)}${pad(r.p99, 8)}${pad(ratio(r.reqPerSec, r.ceilingReqPerSec), 11)}${pad(ratio(r.reqPerSec, r.oneQueryReqPerSec), 11)}${pad(ratio(r.reqPerSec, r.nodeHttpReqPerSec), 13)}${r.errors + r.non2xx}`,
  );
}
writeFileSync(OUT, JSON.stringify({ articles: N, connections: CONNECTIONS, warmup: WARMUP, duration: DURATION, database: process.env.DATABASE_URL ? 'postgresql' : 'pglite', seedSeconds: prepared.seedSeconds, results }, null, 2));
console.log(`\nresults written to ${OUT}`);
