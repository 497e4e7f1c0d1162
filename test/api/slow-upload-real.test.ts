// The real limits of API.md §1, which the other slow-client tests shrink: the server is built
// with them, and a 5 MB upload at 100 KB/s (about 50 s, past the 30 s body limit) succeeds.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { multipart, pdf } from '../helpers/media.js';
import { openRaw, requestHead } from '../helpers/raw-http.js';

// The upload alone takes about 52 s; a loaded machine may stretch it.
t.setTimeout(300_000);
const ta = await createTestApp();
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const { port } = ta.app.server.address() as AddressInfo;

t.test('the HTTP server runs with the limits of API.md §1', async (t) => {
  t.same(ta.config.clientTimeouts, { headersMs: 10_000, bodyMs: 30_000, uploadIdleMs: 30_000, keepAliveMs: 5_000 });
  // Read back from the server Fastify listens on: fails if our server factory stops being used.
  const server = ta.app.server;
  t.equal(server.headersTimeout, 10_000);
  t.equal(server.requestTimeout, 0, 'no limit on a whole request: uploads take as long as they need');
  t.equal(server.keepAliveTimeout, 5_000);
  t.equal(server.timeout, 0, 'no socket timeout besides the limits above');
});

t.test('a 5 MB upload sent at 100 KB/s succeeds', async (t) => {
  const data = pdf(5 * 1024 * 1024);
  const { payload, headers } = multipart([{ name: 'file', filename: 'slow.pdf', contentType: 'application/pdf', data }]);
  const c = await openRaw(port);
  await c.write(requestHead('POST', '/api/v1/media', { authorization: `Bearer ${ta.users.author.token}`, ...headers, 'content-length': payload.length }));
  const start = performance.now();
  // 10 KiB every 100 ms.
  const sent = await c.trickle(payload, 10 * 1024, 100);
  t.equal(sent, payload.length, 'the whole body went out');
  const [res] = await c.responses(1);
  const ms = performance.now() - start;
  t.ok(ms > 45_000, `took ${Math.round(ms / 1000)} s, past the 30 s body limit`);
  t.equal(res.status, 201);
  const media = JSON.parse(res.body);
  t.equal(media.size, data.length);
  t.equal(media.sha256, createHash('sha256').update(data).digest('hex'), 'stored intact');
  c.socket.destroy();
});
