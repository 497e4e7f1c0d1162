// npm run bench:related [-- --articles 100000 --requests 2000 --fresh]: the latency of
// GET /api/v1/articles/:id/related?limit=5 with the public cache off (every request reaches the
// database), one request at a time, over articles spread across the whole table. Seeds its own
// database (bench-db.ts: bulk articles, then VACUUM ANALYZE) on DATABASE_URL, or PGlite.
// Target (issue 18): p95 ≤ 10 ms at 100,000 articles.
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { prepareBenchDatabase } from './bench-db.js';
import { parseArgs } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const N = Number(args.articles ?? 100_000);
const REQUESTS = Number(args.requests ?? 2000);
const WARMUP = 200;
const TARGET_P95_MS = 10;

const prepared = await prepareBenchDatabase({ articles: N, name: `toasoan_bench_related_${N}`, fresh: args.fresh !== undefined });
const config = parseConfig({ ...prepared.env, PUBLIC_CACHE: 'off', LOG_LEVEL: 'warn' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: 0 });
// A kept database may have been written since it was seeded: planner statistics as after a seed.
await database.db.execute(sql`VACUUM ANALYZE`);
const app = await buildApp(config, { database, logger: false, jobs: false });
await app.ready();

// Ids spread over the table (a multiplicative walk), the same on every run.
const idAt = (i: number) => 1 + ((i * 7919) % N);
const latencies: number[] = [];
// The same walk over the plain article read, interleaved: a baseline taken under the same load
// (a shared machine's load moves every figure; the ratio says what related costs on top).
const baseline: number[] = [];
let non200 = 0;
try {
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    let t0 = performance.now();
    const res = await app.inject({ method: 'GET', url: `/api/v1/articles/${idAt(i)}/related?limit=5` });
    const ms = performance.now() - t0;
    if (res.statusCode !== 200 || res.json().length !== 5) non200++;
    t0 = performance.now();
    await app.inject({ method: 'GET', url: `/api/v1/articles/${idAt(i)}` });
    if (i >= WARMUP) {
      latencies.push(ms);
      baseline.push(performance.now() - t0);
    }
  }
} finally {
  await app.close();
  await database.close();
  prepared.cleanup();
}
latencies.sort((a, b) => a - b);
baseline.sort((a, b) => a - b);
const pctOf = (xs: number[], p: number) => Math.round(100 * xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]) / 100;
const pct = (p: number) => pctOf(latencies, p);
const p95 = pct(95);
console.log(`related articles, ${N} articles, ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}, cache off, ${REQUESTS} sequential requests (limit=5):`);
console.log(`  p50 ${pct(50)} ms  p95 ${p95} ms  p99 ${pct(99)} ms  max ${pct(100)} ms  not 200 with 5 articles: ${non200}`);
console.log(`  baseline, GET /articles/:id uncached: p50 ${pctOf(baseline, 50)} ms  p95 ${pctOf(baseline, 95)} ms`);
console.log(p95 <= TARGET_P95_MS ? `  p95 within the ${TARGET_P95_MS} ms target` : `  p95 OVER the ${TARGET_P95_MS} ms target`);
