// Cuts off slow clients, but never before the limits of API.md §1: headers complete within
// headersMs (Node's headersTimeout), any body complete within bodyMs of its headers, and a
// streamed upload never silent for uploadIdleMs (however long it takes in all). Past a limit the
// connection ends, with a 408 where an answer can still be written.
//
// Node's requestTimeout would time the whole request, uploads included, so it stays 0; the body
// limits are per request instead: a deadline for bodies that a parser reads, an idle timer for
// routes that stream their body (config.streamedBody). An answer sent before its body has arrived
// (a 401, a 413) closes the connection, so that nobody can trickle a body nobody reads.
import type { IncomingMessage, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClientTimeouts } from '../config.js';
import { requestTimeout } from '../lib/problem.js';
import { PROBLEM_CONTENT_TYPE, problemJson } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler streams the body itself: no deadline, only a limit on pauses (bodyIdle). */
    streamedBody?: boolean;
  }
  interface FastifyRequest {
    /** On a streamedBody route: aborted, with a 408 Problem as reason, when the body pauses too long. */
    bodyIdle: AbortSignal | null;
  }
}

/**
 * Options for http.createServer. Node checks header deadlines every connectionsCheckingInterval
 * (30 s by default), so a limit would be enforced up to 30 s late: check at a tenth of it, at
 * most every second.
 */
export function httpServerOptions(t: ClientTimeouts): ServerOptions {
  return {
    headersTimeout: t.headersMs,
    requestTimeout: 0,
    keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(t.headersMs / 10))),
  };
}

/**
 * Fastify's clientErrorHandler: Node reports a header deadline (ERR_HTTP_REQUEST_TIMEOUT) or
 * unparsable HTTP here, before any request exists. Answered as problem+json, then closed.
 */
export function answerClientError(this: FastifyInstance, err: ConnectionError, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request headers were not complete in time.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) {
    const { title, json: body } = problemJson({ status, code, detail });
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * The body as its parser reads it. The deadline fails this stream, so the parser's error becomes a
 * 408 while the socket stays writable. It attaches to the request only when a parser reads it, so
 * that a body nobody reads (a 401, a 415) stays unread: its answer closes the connection.
 */
class DeadlineBody extends Transform {
  receivedEncodedLength = 0;
  reading = false;

  constructor(source: NodeJS.ReadableStream) {
    super();
    this.once('resume', () => {
      this.reading = true;
      source.once('error', (err: Error) => this.destroy(err));
      source.pipe(this);
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    done(null, chunk);
  }
}

/** Whether a request carries a body (HTTP/1.1: a Transfer-Encoding or a non-zero Content-Length). */
export const hasBody = (raw: IncomingMessage) =>
  raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] !== undefined && raw.headers['content-length'] !== '0');

/** Whether the whole body has arrived, read or not (inject's requests only know whether it was read). */
const bodyArrived = (raw: IncomingMessage) => raw.complete || raw.readableEnded;

/** Bodies under a deadline, by request, until the parser picks up the stream to fail. */
const deadlines = new WeakMap<FastifyRequest, { body?: DeadlineBody }>();

function limitBody(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  const raw = request.raw;
  const watch: { body?: DeadlineBody } = {};
  deadlines.set(request, watch);
  const timer = setTimeout(() => {
    if (bodyArrived(raw) || raw.destroyed) return;
    if (watch.body?.reading && !reply.raw.headersSent) {
      watch.body.destroy(requestTimeout(`The request body was not complete within ${ms / 1000} s.`));
    } else {
      // Answered already (or nothing reads the body): only closing is left.
      raw.destroy();
    }
  }, ms);
  const stop = () => clearTimeout(timer);
  raw.once('end', stop).once('close', stop);
}

function limitPauses(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  const raw = request.raw;
  // inject()'s requests have no socket to time.
  if (typeof raw.setTimeout !== 'function') return;
  const idle = new AbortController();
  request.bodyIdle = idle.signal;
  // Node emits 'timeout' on the request only while its body is incomplete.
  const onIdle = () => {
    if (idle.signal.aborted || reply.raw.headersSent) return void raw.destroy();
    idle.abort(requestTimeout(`The upload sent nothing for ${ms / 1000} s.`));
    // The handler answers 408 and closes; if it has not within another pause, the socket goes.
    raw.setTimeout(ms);
  };
  raw.setTimeout(ms, onIdle);
  raw.once('end', () => {
    raw.off('timeout', onIdle);
    // The socket's timer outlives the body: without this, processing the upload for longer than
    // a pause would cut the connection before the answer.
    raw.socket?.setTimeout(0);
  });
}

export function registerSlowClientLimits(app: FastifyInstance, t: ClientTimeouts): void {
  app.decorateRequest('bodyIdle', null);

  // The first onRequest hook, so that the limits run while the others (auth) wait.
  app.addHook('onRequest', (request, reply, done) => {
    if (hasBody(request.raw)) {
      if (request.routeOptions.config?.streamedBody) limitPauses(request, reply, t.uploadIdleMs);
      else limitBody(request, reply, t.bodyMs);
    }
    done();
  });

  // An answer sent before its body is complete (a 401, a 413, a refused upload) ends the
  // connection: reading the rest only so that the connection can be reused would let the client
  // trickle it for ever.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (hasBody(request.raw) && !bodyArrived(request.raw)) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('preParsing', (request, _reply, payload, done) => {
    const watch = deadlines.get(request);
    if (!watch) return done(null, payload);
    watch.body = new DeadlineBody(payload);
    done(null, watch.body);
  });
}
