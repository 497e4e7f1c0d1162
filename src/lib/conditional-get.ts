// Conditional GET (RFC 9110 §13): If-None-Match against the ETag, or, only when the request has
// no If-None-Match, If-Modified-Since against Last-Modified. Feed readers and crawlers send
// either; the answer to both is a 304 without a body.
import { etagMatches } from './record.js';

/** An HTTP date (IMF-fixdate): whole seconds, GMT. */
export const httpDate = (d: Date): string => d.toUTCString();

/** Whether the representation has not changed since the date the client holds. */
export function notModifiedSince(ifModifiedSince: string | undefined, lastModified: string | undefined): boolean {
  if (!ifModifiedSince || !lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

type Headers = Record<string, string | string[] | undefined>;
const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h.join(', ') : h);

/** Whether a GET with these request headers gets a 304 for a response with this ETag and Last-Modified. */
export function isNotModified(request: Headers, etag: string | undefined, lastModified: unknown): boolean {
  const ifNoneMatch = one(request['if-none-match']);
  if (ifNoneMatch !== undefined) return etag !== undefined && etagMatches(ifNoneMatch, etag);
  return notModifiedSince(one(request['if-modified-since']), typeof lastModified === 'string' ? lastModified : undefined);
}
