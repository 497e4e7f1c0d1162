import t from 'tap';
import { FailureLimiter, LoginLimiter } from '../../src/lib/failure-limiter.js';
import { MemoryBudgetStore } from '../../src/lib/memory-budget-store.js';

const login = (now: () => number, max = { perAccount: 3, perAddress: 100 }) =>
  new LoginLimiter(new FailureLimiter(new MemoryBudgetStore(), { windowMs: 60_000 }, now), max);

t.test('locks an account after its budget, whatever the address', async (t) => {
  let now = 0;
  const l = login(() => now);
  for (let i = 0; i < 3; i++) t.equal(await l.reserve(`10.0.0.${i}`, 'a@b.vn'), 0, `attempt ${i + 1} may be checked`);
  t.equal(await l.reserve('10.9.9.9', 'a@b.vn'), 60, 'the fourth is refused before any check');
  t.equal(await l.reserve('10.9.9.9', 'other@b.vn'), 0);
  now = 30_000;
  t.equal(await l.reserve('10.9.9.9', 'a@b.vn'), 30);
  now = 60_000;
  t.equal(await l.reserve('10.9.9.9', 'a@b.vn'), 0, 'the window ends');
});

t.test('attempts sent at once get no more units than the budget', async (t) => {
  const l = login(() => 0, { perAccount: 10, perAddress: 30 });
  const waits = await Promise.all(Array.from({ length: 60 }, () => l.reserve('1.2.3.4', 'a@b.vn')));
  t.equal(waits.filter((w) => w === 0).length, 10);
});

t.test('a refused attempt costs no other budget', async (t) => {
  const l = login(() => 0, { perAccount: 2, perAddress: 5 });
  await l.reserve('1.1.1.1', 'locked@b.vn');
  await l.reserve('1.1.1.1', 'locked@b.vn');
  for (let i = 0; i < 10; i++) t.ok((await l.reserve('1.1.1.1', 'locked@b.vn')) > 0, 'the locked account is refused');
  for (let i = 0; i < 3; i++) t.equal(await l.reserve('1.1.1.1', `other${i}@b.vn`), 0, 'the address still has 3 units');
  t.ok((await l.reserve('1.1.1.1', 'fresh@b.vn')) > 0, 'and then none');
});

t.test('a success forgets the account, not the address', async (t) => {
  const l = login(() => 0, { perAccount: 3, perAddress: 5 });
  for (let i = 0; i < 2; i++) await l.reserve('1.2.3.4', 'me@b.vn');
  await l.reserve('1.2.3.4', 'me@b.vn');
  await l.recordSuccess('1.2.3.4', 'me@b.vn');
  for (let i = 0; i < 3; i++) t.equal(await l.reserve('1.2.3.4', 'me@b.vn'), 0, 'the account starts again');
  t.ok((await l.reserve('1.2.3.4', 'other@b.vn')) > 0, 'the address kept its 5 failures (the success gave its own unit back)');
});

t.test('memory stays bounded', async (t) => {
  const store = new MemoryBudgetStore(50);
  for (let i = 0; i < 1000; i++) await store.take([[`a${i}`, 10]], 0, 60_000);
  t.ok(store.size <= 50);
});
