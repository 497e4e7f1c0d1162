// The ceiling of the benchmark: a bare Fastify process that serves, from memory, the exact bytes
// the real service answered for each URL. Nothing else: no database, no hooks, no logging.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

interface Captured {
  path: string;
  contentType: string;
  body: string;
  /** The body is base64 (binary files such as images). */
  base64?: boolean;
}

const pages = JSON.parse(readFileSync(process.env.CEILING_PAGES!, 'utf8')) as Captured[];
const app = Fastify({ logger: false });
for (const p of pages) {
  const body = Buffer.from(p.body, p.base64 ? 'base64' : 'utf8');
  app.get(p.path, (_req, reply) => reply.type(p.contentType).send(body));
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
