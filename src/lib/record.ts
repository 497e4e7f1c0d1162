// Record conventions of API.md §3: ETag and If-None-Match, version preconditions.
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { sendJsonBytes } from './json-bytes.js';
import { preconditionFailed } from './problem.js';

// A record's ETag is computed once, on send, from the bytes that go out (one serialisation, not
// two); sendRecord only marks the reply with the version the ETag must carry for If-Match.
const recordVersions = new WeakMap<FastifyReply, number | null>();

/** The ETag of a payload: `"<version>-<hash>"` for a versioned record, else `"<hash>"`. */
export function etagOf(payload: string | Buffer, version: number | null | undefined): string {
  if (typeof version === 'number') return `"${version}-${hashOf(payload).slice(0, 16)}"`;
  if (!Buffer.isBuffer(payload)) return `"${hashOf(payload).slice(0, 22)}"`;
  // A page or article read once for several readers is one buffer (coalesce.ts): hashed once.
  let etag = bufferEtags.get(payload);
  if (etag === undefined) bufferEtags.set(payload, (etag = `"${hashOf(payload).slice(0, 22)}"`));
  return etag;
}

const hashOf = (payload: string | Buffer) => createHash('sha1').update(payload).digest('base64url');
const bufferEtags = new WeakMap<Buffer, string>();

/** Whether the reply sends one record, and its version (null when the record has none). */
export function recordVersionOf(reply: FastifyReply): number | null | undefined {
  return recordVersions.get(reply);
}

export function markRecord(reply: FastifyReply, record: object): void {
  const version = (record as { version?: unknown }).version;
  recordVersions.set(reply, typeof version === 'number' ? version : null);
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/** Sends a record with an ETag that carries its version (usable in If-Match); 304s are decided on send. */
export function sendRecord<T extends object>(reply: FastifyReply, record: T): T {
  markRecord(reply, record);
  return record;
}

/** Sends one record whose JSON is ready (public articles): an ETag without a version. */
export function sendRecordBytes(reply: FastifyReply, json: Buffer): Buffer {
  recordVersions.set(reply, null);
  return sendJsonBytes(reply, json);
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
