import t from 'tap';
import { FailureLimiter, LoginLimiter } from '../../src/lib/failure-limiter.js';

t.test('locks an account after its budget, whatever the address', async (t) => {
  let now = 0;
  const l = new LoginLimiter(new FailureLimiter({ windowMs: 60_000 }, () => now), { perAccount: 3, perAddress: 100 });
  for (let i = 0; i < 3; i++) {
    t.equal(l.retryAfter(`10.0.0.${i}`, 'a@b.vn'), 0);
    l.recordFailure(`10.0.0.${i}`, 'a@b.vn');
  }
  t.equal(l.retryAfter('10.9.9.9', 'a@b.vn'), 60);
  t.equal(l.retryAfter('10.9.9.9', 'other@b.vn'), 0);
  now = 30_000;
  t.equal(l.retryAfter('10.9.9.9', 'a@b.vn'), 30);
  now = 60_000;
  t.equal(l.retryAfter('10.9.9.9', 'a@b.vn'), 0, 'the window ends');
});

t.test('an address budget spans every email it tries', async (t) => {
  const l = new LoginLimiter(new FailureLimiter({ windowMs: 60_000 }, () => 0), { perAccount: 100, perAddress: 5 });
  for (let i = 0; i < 5; i++) l.recordFailure('1.2.3.4', `user${i}@b.vn`);
  t.ok(l.retryAfter('1.2.3.4', 'fresh@b.vn') > 0);
  l.recordSuccess('fresh@b.vn');
  t.ok(l.retryAfter('1.2.3.4', 'fresh@b.vn') > 0, 'a success does not reset the address');
});

t.test('memory stays bounded', async (t) => {
  const f = new FailureLimiter({ windowMs: 60_000, maxKeys: 50 }, () => 0);
  for (let i = 0; i < 1000; i++) f.recordFailure([[`a${i}`, 10]]);
  t.ok((f as unknown as { buckets: Map<string, unknown> }).buckets.size <= 50);
});
