// The embedded database in its worker thread (src/db/pglite-connection.ts): past its time limit a
// statement fails with 57014 as on PostgreSQL, the worker is replaced, and the session behaves as
// PostgreSQL would after a cancelled statement: the transaction it was in is rolled back, the
// statements that had not started run, LISTEN still hears. An in-memory database cannot come back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';

// Three databases, one a folder, each opened in a worker: slow on a loaded machine.
t.setTimeout(300_000);

const SLOW = sql`select count(*) from generate_series(1, 1000000000)`; // minutes, if let run
const LIMIT_MS = 300;
const codeOf = (err: unknown): unknown => (err as { cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;

t.test('PGlite', { skip: !!process.env.DATABASE_URL && 'about the embedded database' }, async (t) => {
  t.test('a statement past the limit is stopped; the folder, the queue and LISTEN carry on', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'toasoan-worker-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const database = await openDatabase({ dataDir: dir, statementTimeoutMs: LIMIT_MS });
    t.teardown(() => database.close());
    const { db } = database;
    await db.execute(sql`create table probe (x int)`);
    await db.execute(sql`insert into probe values (1)`);
    const heard: string[] = [];
    let connects = 0;
    await database.listen('probe_channel', (p) => heard.push(p), () => connects++);

    // Cut in a transaction: its earlier insert is rolled back. The statement sent meanwhile
    // (outside the transaction) waits for it, then runs on the new worker.
    const started = Date.now();
    const inTx = db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe values (2)`);
      await tx.execute(SLOW);
    });
    const after = db.execute(sql`select count(*)::int as n from probe`);
    const err = await inTx.then(() => undefined, (e: unknown) => e);
    t.equal(codeOf(err), '57014', 'canceling statement due to statement timeout');
    t.ok(Date.now() - started < 30_000, `stopped after ${Date.now() - started} ms, not minutes`);
    t.same(rowsOf(await after), [{ n: 1 }], 'the transaction was rolled back; the waiting statement ran');

    // Cut outside a transaction: the statement queued behind it runs on the new worker.
    const [slow, next] = await Promise.allSettled([db.execute(SLOW), db.execute(sql`select 42 as answer`)]);
    t.equal(slow.status === 'rejected' && codeOf(slow.reason), '57014');
    t.same(next.status === 'fulfilled' && rowsOf(next.value), [{ answer: 42 }]);

    // LISTEN was renewed on each new worker, and its listener told to catch up.
    t.equal(connects, 3, 'onConnect: at LISTEN, then after each of the two restarts');
    await db.execute(sql`select pg_notify('probe_channel', 'still here')`);
    await new Promise((r) => setTimeout(r, 50));
    t.same(heard, ['still here']);
  });

  t.test('an in-memory database is gone after its worker is stopped: 08006, not a hang', async (t) => {
    const database = await openDatabase({ dataDir: 'memory://', statementTimeoutMs: LIMIT_MS });
    t.teardown(() => database.close());
    const err = await database.db.execute(SLOW).then(() => undefined, (e: unknown) => e);
    t.equal(codeOf(err), '57014');
    const ping = await database.ping().then(() => undefined, (e: unknown) => e);
    t.equal(codeOf(ping), '08006', 'a connection error: 503 database_unavailable');
  });

  t.test('statements without a limit are not stopped (migrations, seeding), but close() does not wait for ever', async (t) => {
    const database = await openDatabase({ dataDir: 'memory://', statementTimeoutMs: 0 });
    t.same(rowsOf(await database.db.execute(sql`select count(*)::int as n from generate_series(1, 3000000)`)), [{ n: 3000000 }]);
    const endless = database.db.execute(SLOW).then(() => undefined, (e: unknown) => e);
    const started = Date.now();
    await database.close();
    t.ok(Date.now() - started < 30_000, `closed after ${Date.now() - started} ms`);
    t.equal(codeOf(await endless), '08006', 'the statement left running fails as on a lost connection');
  });
});
