// Receives a multipart upload: the text fields, and one file streamed to temporary storage as it
// arrives while its sha256 is computed and its type is sniffed from the first bytes. Nothing is
// buffered beyond the sniffing window, so memory does not grow with the file's size.
import { createHash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import { badRequest, payloadTooLarge, unsupportedMediaType } from '../../lib/problem.js';
import type { Storage, TempObject } from '../../storage/index.js';
import { kindForDetected, type MediaKind, MEDIA_MIME_TYPES } from './media.kinds.js';

/** file-type's own detection window: enough for every type we accept. */
const SNIFF_BYTES = 4100;

export const TEXT_FIELDS = { alt: 1000, caption: 5000, credit: 300 } as const;
export type TextField = keyof typeof TEXT_FIELDS;

/**
 * The most a multipart body can add around its file: the text fields at 4 bytes a character,
 * part headers and boundaries. A body longer than the file limit plus this holds a file that is
 * too large, whatever its bytes are.
 */
export const MULTIPART_OVERHEAD_BYTES = Object.values(TEXT_FIELDS).reduce((sum, n) => sum + n * 4, 0) + 16 * 1024;

export interface ReceivedUpload {
  temp: TempObject;
  kind: MediaKind;
  sha256: string;
  filename: string;
  fields: Partial<Record<TextField, string>>;
}

/** Hashes every byte and refuses the file once its first bytes show a type we do not take. */
class Inspector extends Transform {
  readonly hash = createHash('sha256');
  kind: MediaKind | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.kind) return done(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return done(null, chunk);
    this.sniff().then(() => done(null, chunk), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes === 0) return done(badRequest('The file is empty.', [{ path: 'file', message: 'is empty' }]));
    if (this.kind) return done();
    this.sniff().then(() => done(), done);
  }

  private async sniff(): Promise<void> {
    const detected = await fileTypeFromBuffer(Buffer.concat(this.head).subarray(0, SNIFF_BYTES));
    this.head = [];
    const kind = kindForDetected(detected?.mime);
    if (!kind) {
      const what = detected ? `${detected.mime} files are` : 'This kind of file is';
      throw unsupportedMediaType(`${what} not accepted. Upload ${MEDIA_MIME_TYPES.join(', ')}.`);
    }
    this.kind = kind;
  }
}

/** The file's name as metadata: no path, no control characters, NFC, at most 255 characters. */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return [...clean].slice(0, 255).join('') || 'upload';
}

async function receiveFile(part: MultipartFile, storage: Storage, maxBytes: number, idle: AbortSignal | undefined): Promise<Omit<ReceivedUpload, 'fields'>> {
  const inspector = new Inspector();
  const tooLarge = () => payloadTooLarge(`The file is larger than the limit of ${maxBytes} bytes.`);
  // Busboy truncates silently at the limit: turn that into a failure of the whole stream.
  part.file.on('limit', () => inspector.destroy(tooLarge()));
  // A client that stops sending fails the stream too, so the partial file is removed.
  const stalled = () => inspector.destroy(idle?.reason as Error);
  idle?.addEventListener('abort', stalled, { once: true });
  let temp: TempObject;
  try {
    temp = await storage.putTemp(pipeline(part.file, inspector, () => {}));
  } finally {
    idle?.removeEventListener('abort', stalled);
  }
  if (part.file.truncated) {
    await storage.delete(temp.key);
    throw tooLarge();
  }
  return { temp, kind: inspector.kind!, sha256: inspector.hash.digest('hex'), filename: sanitizeFilename(part.filename) };
}

/** The parts in order; once `idle` aborts, fails with its reason, also while waiting for a part. */
async function* partsUntilIdle(parts: AsyncIterable<Multipart>, idle: AbortSignal | undefined): AsyncGenerator<Multipart> {
  if (!idle) return yield* parts;
  const stalled = new Promise<never>((_, reject) => idle.addEventListener('abort', () => reject(idle.reason), { once: true }));
  stalled.catch(() => {});
  const iterator = parts[Symbol.asyncIterator]();
  for (;;) {
    idle.throwIfAborted();
    const next = await Promise.race([iterator.next(), stalled]);
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads the parts in order. Whatever goes wrong (a refused file, a bad field, a client that
 * disconnects or pauses longer than `idle` allows), the temporary object is removed before the
 * error leaves.
 */
export async function receiveUpload(parts: AsyncIterable<Multipart>, storage: Storage, maxBytes: number, idle?: AbortSignal): Promise<ReceivedUpload> {
  let file: Omit<ReceivedUpload, 'fields'> | undefined;
  const fields: ReceivedUpload['fields'] = {};
  try {
    for await (const part of partsUntilIdle(parts, idle)) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw badRequest(`Unexpected file part "${part.fieldname}"; send the file as "file".`, [{ path: part.fieldname, message: 'is not a known field' }]);
        if (file) throw badRequest('Send one file per upload.', [{ path: 'file', message: 'must be given once' }]);
        file = await receiveFile(part, storage, maxBytes, idle);
        continue;
      }
      const name = part.fieldname as TextField;
      if (!Object.hasOwn(TEXT_FIELDS, name)) throw badRequest(`Unknown field "${part.fieldname}".`, [{ path: part.fieldname, message: 'is not a known field' }]);
      if (fields[name] !== undefined) throw badRequest(`${name} is given twice.`, [{ path: name, message: 'must be given once' }]);
      const value = String(part.value).normalize('NFC');
      if (part.valueTruncated || [...value].length > TEXT_FIELDS[name]) {
        throw badRequest(`${name} is too long.`, [{ path: name, message: `must be at most ${TEXT_FIELDS[name]} characters` }]);
      }
      fields[name] = value.trim();
    }
  } catch (err) {
    if (file) await storage.delete(file.temp.key);
    throw err;
  }
  if (!file) throw badRequest('The upload has no file; send it as the multipart part "file".', [{ path: 'file', message: 'is required' }]);
  return { ...file, fields };
}
