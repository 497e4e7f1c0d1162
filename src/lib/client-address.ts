// The unit a per-address budget counts (API.md §4): one client, however it spells its address.
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6ToBigInt } from './ip-address.js';

/**
 * An IPv4 address as it is (an IPv4-mapped IPv6 address as its IPv4 form); an IPv6 address as
 * its /64 network. One subscriber or one LAN gets a whole /64, so a budget per address would be
 * a budget per guess for anyone who rotates through theirs.
 */
export function clientNetwork(address: string): string {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const n = ipv6ToBigInt(ip);
  if (n >> 32n === 0xffffn) return [24n, 16n, 8n, 0n].map((s) => (n >> s) & 0xffn).join('.');
  return `${(n >> 64n).toString(16).padStart(16, '0').replace(/(.{4})(?!$)/g, '$1:')}::/64`;
}
