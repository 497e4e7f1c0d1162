// Where a webhook may point. Checked twice: at registration (a 400 where the answer can be
// known then) and before every attempt on the addresses the host resolves to right then, since
// DNS answers change; the request is then made to the vetted address (see webhook-http.ts),
// so a second lookup cannot swap in a private one (DNS rebinding).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from '../../lib/ip-address.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to; injectable so tests can fake DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export class RefusedTarget extends Error {
  override name = 'RefusedTarget';
}

const HINT = 'set WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it';

/** The host without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Syntax only: an absolute http(s) URL without credentials. Returns the problem, or null. */
export function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  // Credentials would be shown in every list and log line; receivers check the signature instead.
  if (url.username || url.password) return 'must not contain credentials';
  if (!url.hostname) return 'must have a host';
  return null;
}

/** Why one of the host's addresses is refused, or null when all are public. */
export function addressProblem(host: string, addresses: readonly ResolvedAddress[]): string | null {
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (!cls) continue;
    return address === host ? `${host} is a ${cls} address; ${HINT}` : `${host} resolves to ${address}, a ${cls} address; ${HINT}`;
  }
  return null;
}

/** Delivery time: resolve, vet every address, and return the one to connect to. */
export async function resolveTarget(url: URL, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<ResolvedAddress> {
  const host = hostOf(url);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await resolve(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  const problem = allowPrivate ? null : addressProblem(host, addresses);
  if (problem) throw new RefusedTarget(problem);
  return addresses[0];
}

/**
 * Registration time: the problem with a URL, or null. A host that does not resolve yet is
 * accepted (the receiver may not be deployed yet); the delivery-time check still applies.
 */
export async function targetProblem(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver, timeoutMs = 3000): Promise<string | null> {
  const syntax = urlProblem(raw);
  if (syntax || allowPrivate) return syntax;
  const url = new URL(raw);
  const host = hostOf(url);
  const family = isIP(host);
  if (family) return addressProblem(host, [{ address: host, family }]);
  const addresses = await withTimeout(resolve(host), timeoutMs).catch(() => []);
  return addressProblem(host, addresses);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
