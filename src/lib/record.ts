// Record conventions of API.md §3: ETag and If-None-Match, version preconditions.
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { preconditionFailed } from './problem.js';

export function etagFor(record: object, body: unknown): string {
  const version = (record as { version?: unknown }).version;
  const hash = createHash('sha1').update(JSON.stringify(body)).digest('base64url').slice(0, 16);
  return typeof version === 'number' ? `"${version}-${hash}"` : `"${hash}"`;
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/** Sends a record with an ETag that carries its version (usable in If-Match); 304s are decided on send. */
export function sendRecord<T extends object>(reply: FastifyReply, record: T): T {
  reply.header('etag', etagFor(record, record));
  return record;
}

/**
 * The version a write expects, from If-Match ("3-abc", W/"3-abc", "3" or 3) and/or the body's
 * `version`. undefined means an unconditional write. Disagreeing or unreadable preconditions
 * can never match, so they are a 412.
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined, current: number): number | undefined {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined && ifMatch.trim() !== '*') {
    const m = /^\s*(?:W\/)?"?(\d+)(?:-[A-Za-z0-9_-]*)?"?\s*$/.exec(ifMatch);
    if (!m) throw preconditionFailed(current);
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) throw preconditionFailed(current);
  return fromHeader ?? bodyVersion;
}

export function checkVersion(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) throw preconditionFailed(current);
}
