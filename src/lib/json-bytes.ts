// Responses whose JSON the database wrote (src/modules/articles/article-json.ts): sent as bytes,
// so Fastify's serializer is skipped; the ETag and 304 are still decided on send.
import type { FastifyReply } from 'fastify';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** A JSON array of JSON texts, joined without parsing them. */
export function jsonArray(items: Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

export function sendJsonBytes(reply: FastifyReply, json: Buffer): Buffer {
  reply.type('application/json; charset=utf-8');
  return json;
}
