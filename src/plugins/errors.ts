// One error handler: typed domain errors, validation failures, body-parser refusals and database
// errors all leave as RFC 9457 problem+json with a stable `code` (API.md §1).
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { type FieldError, Problem } from '../lib/problem.js';
import { fieldErrors, type ValidationContext } from '../lib/validation-errors.js';
import { dbErrorCode, isConnectionFailure } from '../db/errors.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  message: string;
  code: string;
  errors?: Record<string, string>;
  [key: string]: unknown;
}

// Whatever the input, a problem stays small (API.md §1): a body of 95,000 unknown keys or an
// array of 480,000 wrong items must not come back as megabytes of errors.
const MAX_ERRORS = 20;
const MAX_MESSAGE = 300;
const MAX_KEY = 200;
const MAX_DETAIL = 2000;
export const MAX_PROBLEM_BYTES = 16 * 1024;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The `errors` object: the first message for each path, at most MAX_ERRORS of them, clipped. */
export function errorsObject(list: readonly FieldError[]): Record<string, string> {
  // No prototype: a field named "__proto__" or "constructor" is a key like any other.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let n = 0;
  for (const { path, message } of list) {
    const key = clip(path, MAX_KEY);
    if (Object.hasOwn(out, key)) continue;
    if (n++ === MAX_ERRORS) break;
    out[key] = clip(message, MAX_MESSAGE);
  }
  return out;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

interface ProblemInput {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  extra?: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The problem as JSON text, never over MAX_PROBLEM_BYTES; `title` for a status line. */
export function problemJson(p: ProblemInput): { title: string; json: string } {
  const detail = clip(p.detail, MAX_DETAIL);
  const body: ProblemBody = {
    type: `urn:toasoan:problem:${p.code}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    detail,
    message: detail,
    code: p.code,
    ...p.extra,
    ...(p.errors && p.errors.length > 0 ? { errors: errorsObject(p.errors) } : {}),
  };
  // Extension members never replace the standard ones.
  Object.assign(body, { type: body.type, status: p.status, code: p.code, detail, message: detail });
  let json = JSON.stringify(body);
  if (Buffer.byteLength(json) > MAX_PROBLEM_BYTES) {
    // Only extension members can still be large: drop them, keep the standard ones.
    const { type, title, status, code, errors } = body;
    json = JSON.stringify({ type, title, status, detail, message: detail, code, errors });
  }
  return { title: body.title, json };
}

export function sendProblem(reply: FastifyReply, p: ProblemInput) {
  // A route may have picked a response serializer before failing; a problem is always plain JSON.
  reply.serializer((payload: unknown) => (typeof payload === 'string' ? payload : JSON.stringify(payload)));
  return reply.status(p.status).type(PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(problemJson(p).json);
}

/** The human summary of field errors, for `detail`. */
function summary(errors: readonly FieldError[]): string {
  const shown = errors.slice(0, 5).map((e) => `${e.path} ${e.message}`);
  return `Invalid request: ${shown.join('; ')}${errors.length > shown.length ? '; …' : ''}.`;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, code: 'not_found', detail: `No route for ${request.method} ${request.url.split('?')[0]}.` }),
  );

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof Problem) {
      if (err.headers) reply.headers(err.headers);
      return sendProblem(reply, { status: err.status, code: err.code, detail: err.message, errors: err.errors, extra: err.extra });
    }
    if (err.validation) {
      const context = (err.validationContext ?? 'body') as ValidationContext;
      // A malformed id in the path names no record: that is a 404, like a missing one (API.md §3).
      if (context === 'params') return sendProblem(reply, { status: 404, code: 'not_found', detail: 'Resource not found.' });
      const errors = fieldErrors(err.validation, context);
      return sendProblem(reply, { status: 400, code: 'validation_failed', detail: summary(errors), errors });
    }
    const code = dbErrorCode(err);
    if (code) {
      if (code === '23505') return sendProblem(reply, { status: 409, code: 'conflict', detail: 'A record with this value already exists.' });
      if (code === '23503') return sendProblem(reply, { status: 409, code: 'conflict', detail: 'The record is referenced by, or refers to, a record that does not exist or is still in use.' });
      if (code === '40001' || code === '40P01') return sendProblem(reply, { status: 409, code: 'conflict', detail: 'A concurrent change got in the way; retry.' });
      if (code === '22P02' || code === '22001' || code === '22003' || code === '22007' || code === '22008' || code === '54001' || code === '22021') {
        return sendProblem(reply, { status: 400, code: 'validation_failed', detail: 'A value in the request is out of range or malformed.' });
      }
      if (code === '57014') {
        // A statement ran past STATEMENT_TIMEOUT_MS (API.md §1) and was cancelled.
        request.log.warn({ err }, 'statement timed out');
        reply.header('retry-after', '5');
        return sendProblem(reply, { status: 503, code: 'query_timeout', detail: 'The database took too long to answer; try again later, or narrow the request.' });
      }
      if (isConnectionFailure(code)) {
        request.log.warn({ err }, 'database unavailable');
        reply.header('retry-after', '5');
        return sendProblem(reply, { status: 503, code: 'database_unavailable', detail: 'The database is unavailable; try again shortly.' });
      }
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const fastifyCode: Record<string, string> = {
        FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
        FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
        FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
        FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
        FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
      };
      const c = fastifyCode[err.code] ?? (err.code && /^[a-z0-9_]+$/.test(err.code) ? err.code : status === 413 ? 'payload_too_large' : 'bad_request');
      let detail = err.message;
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') detail = `Unsupported Content-Type "${request.headers['content-type'] ?? ''}"; send application/json.`;
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') detail = 'The request body is larger than the limit.';
      return sendProblem(reply, { status, code: c, detail });
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, { status: 500, code: 'internal_error', detail: 'Something went wrong on our side.' });
  });
}
