// Surrogate keys (API.md §10): the names of what a public response shows, sent as
// `Surrogate-Key` (Fastly, Varnish) and `Cache-Tag` (Cloudflare, Akamai), space-separated. A
// change names the keys it affects, and every cache holding responses under them drops those.
import type { FastifyReply } from 'fastify';

export const SURROGATE_KEY_HEADERS = ['surrogate-key', 'cache-tag'] as const;

export function setSurrogateKeys(reply: FastifyReply, keys: Iterable<string>): void {
  const value = [...new Set(keys)].join(' ');
  for (const name of SURROGATE_KEY_HEADERS) reply.header(name, value);
}

/** The keys a response was sent with (its Surrogate-Key header). */
export function surrogateKeysOf(header: unknown): string[] {
  return typeof header === 'string' ? header.split(' ').filter((k) => k !== '') : [];
}
