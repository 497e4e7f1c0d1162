// How much does the server's memory grow while it receives one large upload?
//
//   npm run bench:upload                  # the TypeScript service through tsx
//   npm run build && npm run bench:upload -- --built
//   BENCH_UPLOAD_MB=500 npm run bench:upload
//
// Starts the service as a child process on a free loopback port with throw-away DATA_DIR and
// MEDIA_DIR (or DATABASE_URL if set), uploads a generated PDF of BENCH_UPLOAD_MB (200) MB as
// multipart, samples the child's resident memory (/proc/<pid>/status, Linux only) during the
// upload, and prints the peak increase over the baseline taken after a warm-up upload.
// Exits 1 when the increase is over the 64 MB target.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 200) * MB;
const TARGET_MB = 64;
const built = process.argv.includes('--built');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** VmRSS and VmHWM of a process, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
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

/** Streams a multipart upload of a PDF of `size` bytes, honouring backpressure. */
function uploadPdf(base: string, token: string, size: number): Promise<{ status: number; body: string }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
  );
  const tail = Buffer.from(`\n%%EOF\n\r\n--${boundary}--\r\n`);
  const filler = randomBytes(MB);
  const fillerBytes = size - 9 - 7;
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/media`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + fillerBytes + tail.length),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < fillerBytes) {
        const chunk = filler.subarray(0, Math.min(filler.length, fillerBytes - sent));
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-data-'));
  const mediaDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-media-'));
  const entry = built ? ['dist/src/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  if (built && !existsSync(entry[0])) throw new Error('dist/ is missing: run npm run build first');
  const email = 'bench@toasoan.test';
  const password = 'bench-password-123';
  const child = spawn(process.execPath, entry, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, MEDIA_DIR: mediaDir,
      MEDIA_MAX_BYTES: String(SIZE + MB), ADMIN_EMAIL: email, ADMIN_PASSWORD: password, LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitForHealth(base, child);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    const { token } = (await login.json()) as { token: string };

    // Warm up: first-use imports, JIT, pools, the first database writes.
    for (let i = 0; i < 3; i++) await uploadPdf(base, token, 4 * MB);
    await sleep(500);
    const pid = child.pid!;
    const baseline = memoryOf(pid).rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 5);

    const started = Date.now();
    const res = await uploadPdf(base, token, SIZE);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, memoryOf(pid).rss);
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${res.body}`);
    const stored = (JSON.parse(res.body) as { size: number }).size;

    const mb = (n: number) => (n / MB).toFixed(1);
    const increase = peak - baseline;
    console.log(`service:        ${built ? 'dist (built)' : 'src through tsx'}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, local disk storage`);
    console.log(`upload:         ${mb(stored)} MB PDF in ${seconds.toFixed(1)} s (${(stored / MB / seconds).toFixed(0)} MB/s)`);
    console.log(`RSS baseline:   ${mb(baseline)} MB (after warm-up)`);
    console.log(`RSS peak:       ${mb(peak)} MB (sampled every 5 ms during the upload)`);
    console.log(`RSS increase:   ${mb(increase)} MB (target < ${TARGET_MB} MB)`);
    console.log(`VmHWM:          ${mb(memoryOf(pid).hwm)} MB (lifetime peak, start-up included)`);
    if (increase > TARGET_MB * MB) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await rm(dataDir, { recursive: true, force: true });
    await rm(mediaDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
