// One error handler: typed domain errors, validation failures, body-parser refusals and database
// errors all leave as RFC 9457 problem+json with a stable `code` (API.md §1).
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { type FieldError, Problem } from '../lib/problem.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  message: string;
  code: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, p: { status: number; code: string; detail: string; errors?: FieldError[]; extra?: Record<string, unknown> }) {
  const body: ProblemBody = {
    type: `urn:toasoan:problem:${p.code}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    detail: p.detail,
    message: p.detail,
    code: p.code,
    ...p.extra,
    ...(p.errors ? { errors: p.errors } : {}),
  };
  // Extension members never replace the standard ones.
  Object.assign(body, { type: body.type, status: p.status, code: p.code, detail: p.detail, message: p.detail });
  // A route may have picked a response serializer before failing; a problem is always plain JSON.
  reply.serializer(JSON.stringify);
  return reply.status(p.status).type('application/problem+json; charset=utf-8').header('cache-control', 'no-store').send(body);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECTION_CLOSED', 'CONNECTION_ENDED',
  'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03', '53300',
]);

/** The PostgreSQL/driver error code, looking through Drizzle's wrapping. */
export function dbErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && (/^[0-9A-Z]{5}$/.test(e.code) || CONNECTION_CODES.has(e.code))) return e.code;
  }
  return undefined;
}

function validationErrors(err: FastifyError): FieldError[] {
  const ctx = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    let path = `${ctx}${v.instancePath.replace(/\//g, '.')}`;
    let message = v.message ?? 'is invalid';
    if (typeof params.additionalProperty === 'string') {
      path += `.${params.additionalProperty}`;
      message = 'is not a known field';
    } else if (typeof params.missingProperty === 'string') {
      path += `.${params.missingProperty}`;
      message = 'is required';
    }
    return { path, message };
  });
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
      const errors = validationErrors(err);
      return sendProblem(reply, {
        status: 400,
        code: 'validation_failed',
        detail: `Invalid request: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
        errors,
      });
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
      if (CONNECTION_CODES.has(code) || code.startsWith('08')) {
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
