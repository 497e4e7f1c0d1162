// src/db/prepared-statements.ts depends on how drizzle-orm's postgres-js driver calls postgres.js:
// every query through `unsafe(text, params, { prepare: false })` unless built with .prepare(name),
// transactions through `begin`, nested ones through `savepoint`. No public option of either
// library makes every query a prepared statement, so drizzle-orm is pinned to an exact version and
// this test fails loudly when that behaviour moves: on PostgreSQL it reads pg_prepared_statements
// (the proxy must prepare in the pool, a transaction and a savepoint; drizzle alone must not, or
// the proxy is no longer needed).
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import t from 'tap';
import { type Db, openDatabase } from '../../src/db/client.js';
import * as schema from '../../src/db/schema/index.js';
import { createTestDatabase } from '../helpers/database.js';

const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

t.test('drizzle-orm is pinned to the version whose internals prepared-statements.ts relies on', async (t) => {
  const pinned: string = readJson('../../package.json').dependencies['drizzle-orm'];
  t.match(pinned, /^\d+\.\d+\.\d+$/, 'an exact version in package.json, not a range: see src/db/prepared-statements.ts');
  t.equal(readJson('../../node_modules/drizzle-orm/package.json').version, pinned, 'the installed drizzle-orm is the pinned one');
});

const tdb = await createTestDatabase();
t.teardown(() => tdb.drop());
const url = tdb.databaseUrl;

t.test('on PostgreSQL every drizzle query is a prepared statement, in transactions and savepoints too', { skip: url ? false : 'PostgreSQL only (DATABASE_URL): PGlite runs no postgres.js' }, async (t) => {
  // One connection, so that the statements read back are the ones this test ran.
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 1 });
  t.teardown(() => database.close());
  const prepared = async (db: Db) => {
    const rows = (await db.execute(sql`select statement from pg_prepared_statements`)) as unknown as Array<{ statement: string }>;
    return rows.map((r) => r.statement);
  };
  const shape = (column: 'email' | 'name' | 'role') => `where "users"."${column}" = $1`;
  const CHANGED = 'drizzle-orm no longer runs queries through the proxied unsafe()/begin()/savepoint(): re-check src/db/prepared-statements.ts';

  await database.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, 'a@toasoan.test'));
  t.ok((await prepared(database.db)).some((s) => s.includes(shape('email'))), `a query in the pool is prepared (${CHANGED})`);

  await database.db.transaction(async (tx) => {
    await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.name, 'a'));
    t.ok((await prepared(tx)).some((s) => s.includes(shape('name'))), `a query in a transaction is prepared (${CHANGED})`);
    await tx.transaction(async (sp) => {
      await sp.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.role, 'admin'));
      t.ok((await prepared(sp)).some((s) => s.includes(shape('role'))), `a query in a savepoint is prepared (${CHANGED})`);
    });
  });

  // The proxy earns its place only while drizzle itself asks for unprepared queries.
  const bare = postgres(url as string, { max: 1, onnotice: () => {} });
  t.teardown(() => bare.end({ timeout: 5 }));
  const plain = drizzle(bare, { schema }) as unknown as Db;
  await plain.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, 'b@toasoan.test'));
  const byItself = (await bare`select statement from pg_prepared_statements`).map((r) => String(r.statement));
  t.notOk(
    byItself.some((s) => s.includes(shape('email'))),
    'drizzle alone sends unprepared queries (if this fails, drizzle now prepares them itself: drop the proxy)',
  );
});
