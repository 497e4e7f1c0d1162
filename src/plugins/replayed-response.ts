// Writing a recorded answer again, straight to the socket (before Fastify builds a request):
// the headers of the first answer, with the ones that belong to each request made afresh (the
// request id, CORS for this request's Origin, the length).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { isNotModified } from '../lib/conditional-get.js';
import { corsHeaders } from './security.js';

const PER_REQUEST = new Set(['x-request-id', 'access-control-allow-origin', 'access-control-expose-headers', 'access-control-allow-credentials', 'content-length', 'x-cache', 'date', 'connection', 'keep-alive']);

/** The headers of an answer that any request for the same thing may get. */
export function replayableHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !PER_REQUEST.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/** Writes a 200 (or a 304 for a matching If-None-Match or If-Modified-Since; no body for HEAD); returns the status. */
export function writeReplayed(req: IncomingMessage, res: ServerResponse, recorded: { headers: Record<string, string>; body: Buffer }, config: Config, requestId: string): number {
  const headers: Record<string, string> = { ...recorded.headers, 'x-request-id': requestId, 'x-cache': 'hit', ...corsHeaders(config, req.headers.origin) };
  if (isNotModified(req.headers, recorded.headers.etag, recorded.headers['last-modified'])) {
    delete headers['content-type'];
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['content-length'] = String(recorded.body.length);
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : recorded.body);
  return 200;
}
