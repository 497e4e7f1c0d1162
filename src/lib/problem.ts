// Typed domain errors. Services throw them; one error handler turns them into RFC 9457
// problem+json (plugins/errors.ts).

/**
 * One problem with one field. `path` is the key the client sees in `errors` (API.md §1): the
 * field's path in the request body (`title`, `credits.0.name`), or `query.<name>` / `path.<name>`
 * for the query string and the URL.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'Problem';
  }
}

export const badRequest = (message: string, errors?: FieldError[]) => new Problem(400, 'validation_failed', message, errors);
export const unauthorized = (message = 'Authentication required.') =>
  new Problem(401, 'unauthorized', message, undefined, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message = 'You are not allowed to do this.') => new Problem(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new Problem(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, errors?: FieldError[]) => new Problem(409, 'conflict', message, errors);
export const preconditionFailed = (current: number) =>
  new Problem(412, 'precondition_failed', `The record has changed since you read it (current version ${current}). Reload it and try again.`, undefined, {
    currentVersion: current,
  });
export const tooManyRequests = (retryAfterSeconds: number) =>
  new Problem(429, 'too_many_requests', `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`, undefined, undefined, {
    'retry-after': String(retryAfterSeconds),
  });
export const payloadTooLarge = (message: string) => new Problem(413, 'payload_too_large', message);
export const unsupportedMediaType = (message: string) => new Problem(415, 'unsupported_media_type', message);
/** A client too slow to finish its request; the connection is closed after the answer. */
export const requestTimeout = (message: string) =>
  new Problem(408, 'request_timeout', message, undefined, undefined, { connection: 'close' });
