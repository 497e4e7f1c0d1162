import t from 'tap';
import { addressProblem, RefusedTarget, resolveTarget, type Resolver, targetProblem, urlProblem } from '../../src/modules/webhooks/target.js';

/** A fake DNS: host → addresses. */
const dns = (table: Record<string, string[]>): Resolver => async (host) => {
  const addrs = table[host];
  if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

t.test('URL syntax', async (t) => {
  t.equal(urlProblem('https://hooks.example.org/toasoan?x=1'), null);
  t.equal(urlProblem('http://1.2.3.4:8080/'), null);
  t.equal(urlProblem('ftp://example.org/'), 'must use http or https');
  t.equal(urlProblem('javascript:alert(1)'), 'must use http or https');
  t.equal(urlProblem('/relative'), 'must be an absolute URL');
  t.equal(urlProblem('https://user:pw@example.org/'), 'must not contain credentials');
});

t.test('addresses', async (t) => {
  t.equal(addressProblem('example.org', [{ address: '93.184.216.34', family: 4 }]), null);
  t.match(addressProblem('10.1.2.3', [{ address: '10.1.2.3', family: 4 }]), /^10\.1\.2\.3 is a private address; set WEBHOOK_ALLOW_PRIVATE_TARGETS=true/);
  t.match(
    addressProblem('mixed.example', [{ address: '93.184.216.34', family: 4 }, { address: '::1', family: 6 }]),
    /mixed\.example resolves to ::1, a loopback address/,
    'one private address among public ones is enough to refuse',
  );
});

t.test('registration: literals and names that resolve to private addresses are refused', async (t) => {
  const fake = dns({ 'public.example': ['93.184.216.34'], 'internal.example': ['10.0.0.7'], 'localhost': ['127.0.0.1', '::1'] });
  for (const url of ['http://127.0.0.1/', 'http://10.1.2.3/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:3000/', 'http://2130706433/', 'http://0x7f.1/']) {
    t.match(await targetProblem(url, false, fake), /address; set WEBHOOK_ALLOW_PRIVATE_TARGETS/, url);
  }
  t.match(await targetProblem('http://internal.example/', false, fake), /resolves to 10\.0\.0\.7/);
  t.match(await targetProblem('http://localhost:8080/', false, fake), /resolves to 127\.0\.0\.1/);
  t.equal(await targetProblem('https://public.example/hook', false, fake), null);
  t.equal(await targetProblem('https://not-yet.example/hook', false, fake), null, 'a name that does not resolve yet is accepted');
  t.equal(await targetProblem('http://127.0.0.1/', true, fake), null, 'allowed by the setting');
  t.equal(await targetProblem('ftp://127.0.0.1/', true, fake), 'must use http or https', 'syntax is checked even then');
  const slow: Resolver = () => new Promise(() => {});
  t.equal(await targetProblem('https://slow.example/', false, slow, 50), null, 'a DNS that never answers does not hang registration');
});

t.test('delivery: every resolved address is vetted, the first is used', async (t) => {
  const fake = dns({ 'public.example': ['93.184.216.34', '2606:2800:220:1::1'], 'rebind.example': ['93.184.216.34', '127.0.0.1'] });
  t.same(await resolveTarget(new URL('https://public.example/'), false, fake), { address: '93.184.216.34', family: 4 });
  await t.rejects(resolveTarget(new URL('https://rebind.example/'), false, fake), RefusedTarget);
  await t.rejects(resolveTarget(new URL('http://[::1]/'), false, fake), /::1 is a loopback address/);
  t.same(await resolveTarget(new URL('http://[::1]/'), true, fake), { address: '::1', family: 6 });
  await t.rejects(resolveTarget(new URL('https://nowhere.example/'), false, fake), { code: 'ENOTFOUND' });
});
