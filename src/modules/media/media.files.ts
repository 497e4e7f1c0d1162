// Sends a stored file: its true Content-Type, nosniff, ETag/304 and single byte ranges (206/416),
// for the local disk and S3 alike.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseByteRange } from '../../lib/http-range.js';
import { notFound, Problem } from '../../lib/problem.js';
import { etagMatches } from '../../lib/record.js';
import { stripAccents } from '../../lib/text.js';
import type { Storage } from '../../storage/index.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface FileToSend {
  key: string;
  contentType: string;
  etag: string;
  cacheControl: string;
  /** Offered to the browser as the download name. */
  filename?: string;
}

/**
 * Documents are downloaded, never shown on our origin: a PDF can carry scripts, forms and links
 * that a browser's viewer would run with the origin's rights. The sandbox holds if one is
 * opened inline anyway.
 */
const DOWNLOAD_ONLY = new Set(['application/pdf']);
const SANDBOXED = "default-src 'none'; frame-ancestors 'none'; sandbox";
/**
 * Media is embedded by other sites (an <img> on the newspaper's pages): a page that isolates itself
 * (Cross-Origin-Embedder-Policy: require-corp) loads it only if the file says any site may.
 */
const EMBEDDABLE = 'cross-origin';

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(filename: string | undefined, type: 'inline' | 'attachment' = 'inline'): string {
  if (filename === undefined) return type;
  const ascii = stripAccents(filename).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, storage: Storage, file: FileToSend) {
  const info = await storage.head(file.key);
  if (!info) throw notFound('File');
  const ifRange = request.headers['if-range'];
  // A Range is honoured only for the representation the client already holds part of.
  const range = ifRange === undefined || ifRange === file.etag ? parseByteRange(request.headers.range, info.size) : undefined;
  if (range === 'unsatisfiable') {
    throw new Problem(416, 'range_not_satisfiable', `The file has ${info.size} bytes.`, undefined, undefined, { 'content-range': `bytes */${info.size}` });
  }

  reply
    .header('content-type', file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', EMBEDDABLE)
    .header('accept-ranges', 'bytes')
    .header('etag', file.etag)
    .header('cache-control', file.cacheControl);
  const download = DOWNLOAD_ONLY.has(file.contentType);
  if (file.filename !== undefined || download) reply.header('content-disposition', contentDisposition(file.filename, download ? 'attachment' : 'inline'));
  if (download) reply.header('content-security-policy', SANDBOXED);
  if (etagMatches(request.headers['if-none-match'], file.etag)) return reply.code(304).send();

  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  reply.header('content-length', String(range ? range.end - range.start + 1 : info.size));
  if (request.method === 'HEAD') return reply.send();
  const body = await storage.get(file.key, range);
  if (!body) throw notFound('File');
  return reply.send(body);
}
