import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { createTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

// A TCP relay between the service and PostgreSQL that the test can cut and restore.
function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { start, cut, port: () => port };
}

t.test('losing the database gives 503s, never 500s, and the service recovers by itself', { skip: !process.env.DATABASE_URL && 'needs a PostgreSQL server to cut off' }, async (t) => {
  const tdb = await createTestDatabase();
  t.teardown(() => tdb.drop());
  const real = new URL(tdb.databaseUrl!);
  const r = relay({ host: real.hostname, port: Number(real.port || 5432) });
  await r.start();
  t.teardown(() => r.cut());
  const viaRelay = new URL(tdb.databaseUrl!);
  viaRelay.port = String(r.port());
  const database = await openDatabase({ databaseUrl: viaRelay.toString(), dataDir: 'unused' });
  const app = await buildApp(parseConfig({ DATABASE_URL: viaRelay.toString(), LOG_LEVEL: 'silent', PUBLIC_CACHE: 'off' }), { database, logger: false, migrate: false, jobs: false });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/categories' })).statusCode, 200);

  await r.cut();
  const ready = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(ready.statusCode, 503);
  const list = await app.inject({ method: 'GET', url: '/api/v1/categories' });
  t.equal(list.statusCode, 503);
  t.equal(list.json().code, 'database_unavailable');
  t.ok(list.headers['retry-after']);
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the process itself is up');

  await r.start();
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await app.inject({ method: 'GET', url: '/api/v1/categories' })).statusCode;
    if (status !== 200) await sleep(100);
  }
  t.equal(status, 200, 'back without a restart');
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
});

t.test('X-Forwarded-For counts only with TRUST_PROXY', async (t) => {
  const ta = await createTestApp({ TRUST_PROXY: 'true', SCHEDULER_INTERVAL_MS: '0' });
  t.teardown(() => ta.close());
  const fail = (xff: string) =>
    ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `x${Math.random()}@a.vn`, password: 'nope' }, headers: { 'x-forwarded-for': xff } });
  for (let i = 0; i < 30; i++) t.equal((await fail('203.0.113.9')).statusCode, 401);
  t.equal((await fail('203.0.113.9')).statusCode, 429, 'the forwarded client is limited');
  t.equal((await fail('198.51.100.4')).statusCode, 401, 'another forwarded client is not');
});
