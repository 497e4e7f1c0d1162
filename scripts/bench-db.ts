// The benchmarks' database: N published articles, on PostgreSQL (DATABASE_URL, in a database of
// its own, kept between runs) or on PGlite (a folder: temporary, or kept when one is named).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { articleLive, users } from '../src/db/schema/index.js';
import { createUser } from '../src/modules/users/users.service.js';
import { ensureBenchCategories, insertPublishedArticles, withIndexesRebuiltAfter } from '../src/seed/bulk-articles.js';

export const BENCH_ADMIN = { email: 'bench@toasoan.test', password: 'bench-password-123' };
const BATCH = 20_000;

export interface BenchDatabase {
  /** What the service needs to open it: DATABASE_URL or DATA_DIR. */
  env: Record<string, string>;
  seedSeconds: number;
  /** Removes a temporary PGlite folder (a named one is kept). */
  cleanup: () => void;
}

export interface BenchDatabaseOptions {
  articles: number;
  /** PostgreSQL database name. */
  name: string;
  /** Drop and seed again. */
  fresh?: boolean;
  /** A PGlite folder to keep between runs; a temporary one otherwise. */
  dataDir?: string;
  /** Paragraphs per body (default 8, ~3 KB). */
  paragraphs?: number;
}

export async function prepareBenchDatabase(opts: BenchDatabaseOptions): Promise<BenchDatabase> {
  const N = opts.articles;
  let databaseUrl: string | undefined;
  let dataDir = '';
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${opts.name}`;
    if (opts.fresh && exists.length) await admin.unsafe(`DROP DATABASE ${opts.name} WITH (FORCE)`);
    if (!exists.length || opts.fresh) await admin.unsafe(`CREATE DATABASE ${opts.name}`);
    await admin.end();
    url.pathname = `/${opts.name}`;
    databaseUrl = url.toString();
  } else if (opts.dataDir) {
    dataDir = opts.dataDir;
    if (opts.fresh) rmSync(dataDir, { recursive: true, force: true });
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'toasoan-bench-'));
  }
  // Seeding runs statements of minutes (a batch of 20,000 articles, index builds, VACUUM).
  const database = await openDatabase({ databaseUrl, dataDir: dataDir || 'unused', statementTimeoutMs: 0 });
  // The app factory migrates and gives the services their context; no jobs, no logging.
  const app = await buildApp(parseConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), DATA_DIR: dataDir || './data' }), { database, logger: false, jobs: false });
  const { db } = database;
  const [{ have }] = await db.select({ have: count() }).from(articleLive);
  let seedSeconds = 0;
  if (have < N) {
    console.log(`seeding ${N - have} articles …`);
    const t0 = Date.now();
    const leaves = await ensureBenchCategories(db);
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, BENCH_ADMIN.email));
    const adminId = existing?.id ?? (await createUser(app.ctx, { ...BENCH_ADMIN, role: 'admin', name: 'Bench' })).id;
    const newest = new Date();
    const batches: Array<{ from: number; count: number }> = [];
    for (let from = have + 1; from <= N; from += BATCH) batches.push({ from, count: Math.min(BATCH, N - from + 1) });
    let done = have;
    const seed = async () => {
      // Two batches at a time: generating the rows (folded tsvectors) is CPU-bound, and there are two cores.
      const next = async (): Promise<void> => {
        const batch = batches.shift();
        if (!batch) return;
        await insertPublishedArticles(db, { ...batch, categoryIds: leaves, authorId: adminId, newest, paragraphs: opts.paragraphs });
        done += batch.count;
        process.stdout.write(`  ${done}/${N} (${Math.round((Date.now() - t0) / 1000)} s)\n`);
        return next();
      };
      await Promise.all([next(), next()]);
    };
    // A large load goes faster with the secondary indexes built once at the end.
    if (N - have >= 50_000) await withIndexesRebuiltAfter(db, seed);
    else await seed();
    process.stdout.write(`  rows in (${Math.round((Date.now() - t0) / 1000)} s), vacuum …\n`);
    await db.execute(sql`VACUUM ANALYZE`);
    seedSeconds = (Date.now() - t0) / 1000;
    console.log(`seeded in ${seedSeconds.toFixed(1)} s`);
  }
  await app.close();
  await database.close();
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir };
  const temporary = !databaseUrl && !opts.dataDir;
  return { env, seedSeconds, cleanup: () => temporary && rmSync(dataDir, { recursive: true, force: true }) };
}
