import t from 'tap';
import { classifyAddress, isPublicAddress } from '../../src/lib/ip-address.js';

t.test('refuses what is not public unicast', async (t) => {
  const cases: Array<[string, string]> = [
    ['0.0.0.0', 'unspecified'], ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'], ['100.64.0.1', 'shared'], ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'], ['198.18.0.1', 'benchmarking'],
    ['::', 'unspecified'], ['::1', 'loopback'], ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'], ['::ffff:7f00:1', 'ipv4-mapped'], ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::127.0.0.1', 'ipv4-compatible'], ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fec0::1', 'site-local'], ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'], ['2001:0:4136:e378::1', 'teredo'],
    ['64:ff9b::a00:1', 'private'], ['64:ff9b::7f00:1', 'loopback'], ['2002:7f00:1::1', 'loopback'], ['2002:c0a8:101::1', 'private'],
  ];
  for (const [ip, cls] of cases) t.equal(classifyAddress(ip), cls, ip);
});

t.test('accepts public addresses', async (t) => {
  for (const ip of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '93.184.216.34',
    '2606:4700:4700::1111', '2001:4860:4860::8888', '64:ff9b::808:808', '2002:808:808::1']) {
    t.ok(isPublicAddress(ip), ip);
  }
});

t.test('throws on what is not an address', async (t) => {
  t.throws(() => classifyAddress('localhost'));
  t.throws(() => classifyAddress('1.2.3'));
});
