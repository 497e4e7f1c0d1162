// Classifies IP addresses that a server-side request must not reach: a webhook URL is chosen
// by a user, so without this check it could make the service call its own admin ports, the
// cloud metadata endpoint (169.254.169.254) or machines on the internal network (SSRF).
// Pure: no DNS, no sockets.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'unspecified' | 'loopback' | 'private' | 'shared' | 'link-local' | 'unique-local' | 'site-local'
  | 'multicast' | 'broadcast' | 'reserved' | 'documentation' | 'benchmarking' | 'ipv4-mapped' | 'ipv4-compatible'
  | 'translated' | 'teredo' | 'discard';

interface Range {
  prefix: bigint;
  bits: number;
  cls: AddressClass;
}

const v4 = (cidr: string, cls: AddressClass): Range => {
  const [addr, bits] = cidr.split('/');
  return { prefix: ipv4ToBigInt(addr), bits: Number(bits), cls };
};
const v6 = (cidr: string, cls: AddressClass): Range => {
  const [addr, bits] = cidr.split('/');
  return { prefix: ipv6ToBigInt(addr), bits: Number(bits), cls };
};

// IANA special-purpose registries (RFC 6890 and successors): everything not routable on the
// public internet, or routable only to someone's own network.
const IPV4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  // Refused outright, whatever IPv4 address they carry: a dual-stack socket connects to the
  // embedded address, and receivers have no reason to be written this way.
  v6('::ffff:0:0/96', 'ipv4-mapped'),
  v6('::/96', 'ipv4-compatible'),
  v6('64:ff9b:1::/48', 'translated'),
  v6('100::/64', 'discard'),
  v6('2001::/32', 'teredo'),
  v6('2001:2::/48', 'benchmarking'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];

/** Why `address` is not a public unicast address, or null when it is one. Throws on a non-IP. */
export function classifyAddress(address: string): AddressClass | null {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(ip)) return match(ipv4ToBigInt(ip), 32, IPV4_RANGES);
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${address}`);
  const n = ipv6ToBigInt(ip);
  const cls = match(n, 128, IPV6_RANGES);
  if (cls) return cls;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that the packets end up at.
  if (n >> 32n === ipv6ToBigInt('64:ff9b::') >> 32n) return classifyEmbedded(n & 0xffffffffn);
  if (n >> 112n === 0x2002n) return classifyEmbedded((n >> 80n) & 0xffffffffn);
  return null;
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === null;
}

function classifyEmbedded(ipv4: bigint): AddressClass | null {
  return match(ipv4, 32, IPV4_RANGES);
}

function match(n: bigint, width: number, ranges: Range[]): AddressClass | null {
  for (const r of ranges) {
    const shift = BigInt(width - r.bits);
    if (n >> shift === r.prefix >> shift) return r.cls;
  }
  return null;
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Expands "::", and a trailing dotted quad ("::ffff:1.2.3.4"), into 128 bits. */
export function ipv6ToBigInt(ip: string): bigint {
  let text = ip.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const n = ipv4ToBigInt(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
