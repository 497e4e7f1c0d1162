import t from 'tap';
import { LoginLimiter } from '../../src/modules/auth/login-limiter.js';

t.test('locks an account after its budget, whatever the address', async (t) => {
  let now = 0;
  const l = new LoginLimiter({ windowMs: 60_000, maxPerAccount: 3, maxPerAddress: 100 }, () => now);
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
  const l = new LoginLimiter({ windowMs: 60_000, maxPerAccount: 100, maxPerAddress: 5 }, () => 0);
  for (let i = 0; i < 5; i++) l.recordFailure('1.2.3.4', `user${i}@b.vn`);
  t.ok(l.retryAfter('1.2.3.4', 'fresh@b.vn') > 0);
  l.recordSuccess('fresh@b.vn');
  t.ok(l.retryAfter('1.2.3.4', 'fresh@b.vn') > 0, 'a success does not reset the address');
});

t.test('memory stays bounded', async (t) => {
  const l = new LoginLimiter({ windowMs: 60_000, maxPerAccount: 10, maxPerAddress: 10, maxKeys: 50 }, () => 0);
  for (let i = 0; i < 1000; i++) l.recordFailure(`a${i}`, `e${i}`);
  t.ok((l as unknown as { buckets: Map<string, unknown> }).buckets.size <= 50);
});
