// The two homes of failure budgets keep one contract: at most `max` units per key and window,
// however many takes run at once. The database store is tested on whichever database the run
// uses (it is what PostgreSQL deployments get; its SQL runs on PGlite too).
import { count, eq } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.js';
import { budgetStoreFor, DatabaseBudgetStore } from '../../src/db/failure-budget-store.js';
import { failureBudgets } from '../../src/db/schema/index.js';
import type { BudgetStore } from '../../src/lib/failure-limiter.js';
import { MemoryBudgetStore } from '../../src/lib/memory-budget-store.js';
import { createTestDatabase } from '../helpers/database.js';

const tdb = await createTestDatabase();
t.teardown(() => tdb.drop());
const { db } = tdb.database;
const WINDOW = 60_000;

const stores: Array<[string, () => BudgetStore]> = [
  ['memory', () => new MemoryBudgetStore()],
  ['database', () => new DatabaseBudgetStore(db)],
];

for (const [name, make] of stores) {
  t.test(`${name}: a key gives at most max units per window`, async (t) => {
    const s = make();
    const key = `${name}-seq`;
    for (let i = 0; i < 3; i++) t.match(await s.take([[key, 3]], 1_000, WINDOW), [{ key, granted: true, resetAt: 61_000 }]);
    t.match(await s.take([[key, 3]], 2_000, WINDOW), [{ key, granted: false, resetAt: 61_000 }]);
    t.match(await s.take([[key, 3]], 2_000, WINDOW), [{ granted: false }], 'refused again, not past the end of the count');
    t.match(await s.take([[key, 3]], 61_000, WINDOW), [{ granted: true, resetAt: 121_000 }], 'a new window');
  });

  t.test(`${name}: concurrent takes are granted no more than max`, async (t) => {
    const s = make();
    const grants = await Promise.all(Array.from({ length: 50 }, () => s.take([[`${name}-burst`, 10]], 5_000, WINDOW)));
    t.equal(grants.filter(([g]) => g.granted).length, 10);
  });

  t.test(`${name}: several keys in one take, each counted`, async (t) => {
    const s = make();
    const a = `${name}-a`;
    const b = `${name}-b`;
    t.match(await s.take([[a, 1], [b, 2]], 0, WINDOW), [{ key: a, granted: true }, { key: b, granted: true }]);
    t.match(await s.take([[a, 1], [b, 2]], 0, WINDOW), [{ key: a, granted: false }, { key: b, granted: true }], 'answers in the order asked');
  });

  t.test(`${name}: refund gives back a unit, also from a refused state; clear forgets`, async (t) => {
    const s = make();
    const key = `${name}-refund`;
    await s.take([[key, 2]], 0, WINDOW);
    await s.take([[key, 2]], 0, WINDOW);
    t.match(await s.take([[key, 2]], 0, WINDOW), [{ granted: false }]);
    await s.refund([key], 0);
    t.match(await s.take([[key, 2]], 0, WINDOW), [{ granted: true }], 'one unit back');
    t.match(await s.take([[key, 2]], 0, WINDOW), [{ granted: false }], 'and only one');
    await s.clear(key);
    t.match(await s.take([[key, 2]], 0, WINDOW), [{ granted: true }]);
    await s.refund([`${name}-never-taken`], 0);
    t.match(await s.take([[`${name}-never-taken`, 1]], 0, WINDOW), [{ granted: true }], 'a refund never adds units');
    t.match(await s.take([[`${name}-never-taken`, 1]], 0, WINDOW), [{ granted: false }]);
  });
}

t.test('database: keys are stored hashed, and ended windows are swept', async (t) => {
  const s = new DatabaseBudgetStore(db, 1_000);
  await s.take([['login-acct:secret-typed-as-email@b.vn', 5]], 1_000_000, WINDOW);
  const rows = await db.select().from(failureBudgets);
  t.notMatch(JSON.stringify(rows), /secret-typed/);
  const before = (await db.select({ n: count() }).from(failureBudgets))[0].n;
  t.ok(before > 0);
  await s.take([['later', 5]], 10_000_000, WINDOW);
  const left = await db.select({ key: failureBudgets.key }).from(failureBudgets);
  t.equal(left.length, 1, 'only the new window is left');
  t.equal((await db.select().from(failureBudgets).where(eq(failureBudgets.key, left[0].key)))[0].failures, 1);
});

t.test('database: instances with pools of their own share one budget', { skip: !tdb.databaseUrl && 'PostgreSQL only' }, async (t) => {
  const other = await openDatabase({ databaseUrl: tdb.databaseUrl, dataDir: 'unused' });
  t.teardown(() => other.close());
  const stores = [budgetStoreFor(tdb.database), budgetStoreFor(other)];
  t.ok(stores[0] instanceof DatabaseBudgetStore);
  const grants = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2].take([['shared', 10]], 20_000_000, WINDOW)));
  t.equal(grants.filter(([g]) => g.granted).length, 10);
});

t.test('PGlite: one memory store per database, shared by the app instances on it', { skip: !!tdb.databaseUrl && 'PGlite only' }, async (t) => {
  t.ok(budgetStoreFor(tdb.database) instanceof MemoryBudgetStore);
  t.equal(budgetStoreFor(tdb.database), budgetStoreFor(tdb.database));
});
