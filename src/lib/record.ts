// Record conventions of API.md §3: ETag and If-None-Match, version preconditions.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preconditionFailed } from './problem.js';

export function etagFor(record: object, body: unknown): string {
  const version = (record as { version?: unknown }).version;
  const hash = createHash('sha1').update(JSON.stringify(body)).digest('base64url').slice(0, 16);
  return typeof version === 'number' ? `"${version}-${hash}"` : `"${hash}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/** Sends a record with its ETag, or 304 when the client's copy is current. */
export function sendRecord<T extends object>(request: FastifyRequest, reply: FastifyReply, record: T, shaped?: unknown) {
  const etag = etagFor(record, shaped ?? record);
  reply.header('etag', etag);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.send(record);
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
