// After kill -9 and a restart, nothing waits or is left behind (issue 16 item 10): a delivery the
// dead process had claimed arrives within 30 s, and its half-written upload is swept. The server
// runs as a real child process (`node --import tsx src/server.ts`), killed with SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { jpegWithGps } from '../helpers/media.js';

t.setTimeout(600_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const dataDir = mkdtempSync(join(tmpdir(), 'toasoan-crash-'));
const mediaDir = join(dataDir, 'media');
// PostgreSQL when the suite runs on it; else PGlite on disk, which one process owns at a time.
const tdb = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
if (tdb) await tdb.database.close();
t.teardown(async () => {
  await tdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  MEDIA_DIR: mediaDir,
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: 'admin@toasoan.test',
  ADMIN_PASSWORD: 'admin-password-123',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_MS: '200',
  DATABASE_URL: tdb?.databaseUrl ?? '',
};

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) return child;
    await sleep(100);
  }
  throw new Error('server did not start');
}

function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
// Whatever happens to a test, no server outlives the file.
const children = new Set<ChildProcess>();
t.teardown(() => Promise.all([...children].map(kill9)));
// Starting a server process (TypeScript loader, database) takes seconds on a loaded machine.
const slow = { timeout: 300_000 };

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

t.test('a delivery claimed by a killed process arrives within 30 s of the restart', slow, async (t) => {
  // The receiver holds the first request open: the process dies in the middle of the attempt.
  let hold = true;
  const receiver = await startReceiver(async () => {
    while (hold) await sleep(50);
    return 200;
  });
  t.teardown(() => receiver.close());

  let server = await startServer();
  const login = await api('/auth/login', { method: 'POST', body: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } });
  const token = login.json.token as string;
  const hook = await api('/webhooks', { method: 'POST', token, body: { url: receiver.url, events: ['article.published'] } });
  t.equal(hook.status, 201);
  const created = await api('/articles', { method: 'POST', token, body: { title: 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng' } });
  const id = created.json.id as number;
  for (const action of ['submit', 'approve', 'publish']) {
    const res = await api(`/articles/${id}/transitions`, { method: 'POST', token, body: { action } });
    t.equal(res.status, 200, action);
  }
  await receiver.waitFor(1, 10_000);
  await kill9(server);
  hold = false;

  server = await startServer();
  const restarted = Date.now();
  t.teardown(() => kill9(server));
  const got = await receiver.waitFor(2, 30_000);
  t.ok(Date.now() - restarted < 30_000, `redelivered ${Date.now() - restarted} ms after the restart`);
  t.equal(got[1].body.type, 'article.published');
  t.equal(got[1].headers['x-toasoan-delivery'], got[0].headers['x-toasoan-delivery'], 'the same delivery');
  await kill9(server);
});

t.test('an upload cut by kill -9 leaves no temporary file after the restart', slow, async (t) => {
  let server = await startServer();
  const login = await api('/auth/login', { method: 'POST', body: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } });
  const token = login.json.token as string;

  // Half a multipart upload, then the process dies while the socket is still open.
  const image = await jpegWithGps(1600, 900);
  const boundary = 'toasoan-crash-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('error', () => {});
  socket.write(
    `POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + image.length * 40 + 100}\r\n\r\n${head}`,
  );
  socket.write(image.subarray(0, Math.floor(image.length / 2)));
  const tempDir = join(mediaDir, '.tmp');
  const until = Date.now() + 10_000;
  while (Date.now() < until && (readdirSafe(tempDir).length === 0)) await sleep(50);
  t.ok(readdirSafe(tempDir).length > 0, 'the upload is being written');
  await kill9(server);
  socket.destroy();

  server = await startServer();
  t.teardown(() => kill9(server));
  if (tdb) {
    // Other instances may share the folder on PostgreSQL: only files untouched for the stale
    // limit go, so the sweep at start leaves a fresh one.
    t.ok(readdirSafe(tempDir).length > 0, 'a temporary file younger than the stale limit stays');
  } else {
    const end = Date.now() + 10_000;
    while (Date.now() < end && readdirSafe(tempDir).length > 0) await sleep(50);
    t.same(readdirSafe(tempDir), [], 'PGlite: the only process sweeps every temporary file at start');
  }
  await kill9(server);
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
