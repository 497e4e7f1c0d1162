// How long do hostile article bodies take to save, and does the service answer others meanwhile?
//
//   npm run bench:sanitize                                 # the TypeScript service through tsx
//   npm run build && npm run bench:sanitize -- --built
//   npm run bench:sanitize -- "b x 166k"                   # only the cases named so
//
// Starts the service as a child process on a free loopback port (throw-away DATA_DIR and
// MEDIA_DIR, or a throw-away database on the server of DATABASE_URL if set), then for each body:
// POSTs it as a new article while a client asks GET /health back to back, and prints the POST's
// status and time, the slowest /health answer during it, and the stored body's size. Each body
// is sent twice and the second figures are printed (the first run pays for warming up).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';

const built = process.argv.includes('--built');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const CASES: Record<string, () => string> = {
  'b x 20k (nested)': () => '<b>'.repeat(20_000),
  'b x 80k (nested)': () => '<b>'.repeat(80_000),
  'b x 166k (nested, 500 KB)': () => '<b>'.repeat(166_666),
  'b i x 83k (nested, 500 KB)': () => '<b><i>'.repeat(83_333),
  '256 nested b + text': () => `${'<b>'.repeat(256)}${'x'.repeat(400_000)}`,
  'flat <b>x</b> (500 KB)': () => '<b>x</b>'.repeat(62_500),
  'flat <p> (500 KB)': () => '<p>'.repeat(166_666),
  'flat <a target> (500 KB)': () => '<a href="https://vnexpress.net/x" target="_blank">y</a>'.repeat(8_620),
  'flat text & (500 KB)': () => '&'.repeat(500_000),
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error('the service did not become healthy within 60 s');
}

/** Asks /health back to back until stopped; resolves to the slowest answer in ms. */
function probeHealth(base: string): { stop(): Promise<number> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let running = true;
  let worst = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      request(`${base}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          worst = Math.max(worst, performance.now() - started);
          resolve();
        });
      }).on('error', reject).end();
    });
  const loop = (async () => {
    while (running) await once();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return worst;
    },
  };
}

/** A fresh database on the server of DATABASE_URL, or none (PGlite). */
async function throwAwayDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { drop: async () => {} };
  const name = `toasoan_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-data-'));
  const mediaDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-media-'));
  const entry = built ? ['dist/src/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  if (built && !existsSync(entry[0]!)) throw new Error('dist/ is missing: run npm run build first');
  const db = await throwAwayDatabase();
  const email = 'bench@toasoan.test';
  const password = 'bench-password-123';
  const child = spawn(process.execPath, entry, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...(db.url ? { DATABASE_URL: db.url } : {}), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, MEDIA_DIR: mediaDir, ADMIN_EMAIL: email, ADMIN_PASSWORD: password, LOG_LEVEL: 'warn' },
  });
  try {
    await waitForHealth(base, child);
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const { token } = (await login.json()) as { token: string };
    console.log(`service: ${built ? 'dist (built)' : 'src through tsx'}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`);
    console.log('case                            sent      status   POST ms   worst /health ms   stored');
    for (const [name, make] of Object.entries(CASES)) {
      if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
      const body = make();
      let line = '';
      for (let round = 0; round < 2; round++) {
        await sleep(200);
        const probe = probeHealth(base);
        await sleep(50);
        const started = performance.now();
        const res = await fetch(`${base}/api/v1/articles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ title: `${name} ${round}`, body }),
        });
        const text = await res.text();
        const ms = performance.now() - started;
        const worst = await probe.stop();
        const stored = res.status === 201 ? String((JSON.parse(text) as { body: string }).body.length) : '-';
        line = `${name.padEnd(31)} ${String(body.length).padStart(7)}   ${String(res.status).padStart(6)}   ${ms.toFixed(0).padStart(7)}   ${worst.toFixed(0).padStart(16)}   ${stored.padStart(7)}`;
      }
      console.log(line);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await rm(dataDir, { recursive: true, force: true });
    await rm(mediaDir, { recursive: true, force: true });
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
