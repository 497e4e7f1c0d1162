// The third reference of the benchmark: a plain node:http server (no Fastify: no routing, hooks
// or reply object) that answers with the exact bytes the real service answered for a URL,
// prebuilt in memory with their Content-Type and Content-Length. It is the most Node itself can
// do on this machine for the answer, the measure of a cache hit's overhead.
import { readFileSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders } from 'node:http';

interface Captured {
  path: string;
  contentType: string;
  body: string;
  base64?: boolean;
}

interface Prebuilt {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

const pages = new Map<string, Prebuilt>();
for (const p of JSON.parse(readFileSync(process.env.CEILING_PAGES!, 'utf8')) as Captured[]) {
  const body = Buffer.from(p.body, p.base64 ? 'base64' : 'utf8');
  pages.set(p.path.split('?')[0], { headers: { 'content-type': p.contentType, 'content-length': body.length }, body });
}

createServer((req, res) => {
  const q = req.url!.indexOf('?');
  const page = pages.get(q < 0 ? req.url! : req.url!.slice(0, q));
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, page.headers).end(page.body);
}).listen(Number(process.env.PORT), '127.0.0.1');
