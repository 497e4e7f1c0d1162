// Slow clients over a raw socket (API.md §1), with the limits shrunk to a second or two so that
// the tests run in seconds: headers, JSON bodies, bodies nobody reads, keep-alive and the public
// cache's fast path. Uploads are in slow-uploads.test.ts; the real defaults in slow-upload-real.
// Each limit is checked both ways: cut after it, and never before it.
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';
import { openRaw, parseResponse, type RawResponse, requestHead } from '../helpers/raw-http.js';

const HEADERS_MS = 1000;
const BODY_MS = 2000;
const KEEP_ALIVE_MS = 1000;
// Generous: a loaded 2-core machine may run timers late, never early.
const SLACK_MS = 4000;
// The client's clock starts a little after the server's.
const EARLY_MS = 50;

t.setTimeout(120_000);
const ta = await createTestApp({
  HEADERS_TIMEOUT_MS: String(HEADERS_MS), BODY_TIMEOUT_MS: String(BODY_MS), UPLOAD_IDLE_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
});
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const { port } = ta.app.server.address() as AddressInfo;

function isTimeoutProblem(t: Test, res: RawResponse) {
  t.equal(res.status, 408);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.headers.connection, 'close');
  t.equal(JSON.parse(res.body).code, 'request_timeout');
}

const loginBody = JSON.stringify({ email: ta.users.author.email, password: ta.users.author.password });
const loginHead = (length: number) => requestHead('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': length });

t.test('headers trickled past the limit get a 408 problem, then the connection closes', async (t) => {
  const c = await openRaw(port);
  // One more header line every 200 ms, for ever: the headers never end.
  void c.trickle(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n${'X-Pad: slow\r\n'.repeat(1000)}`, 13, 200);
  const { afterMs, received } = await c.closed;
  t.ok(afterMs >= HEADERS_MS - EARLY_MS, `not before the limit (${Math.round(afterMs)} ms)`);
  t.ok(afterMs < HEADERS_MS + SLACK_MS, `soon after it (${Math.round(afterMs)} ms)`);
  isTimeoutProblem(t, parseResponse(received));
});

t.test('a connection that sends nothing is closed at the header limit', async (t) => {
  const c = await openRaw(port);
  const { afterMs, received } = await c.closed;
  t.ok(afterMs >= HEADERS_MS - EARLY_MS && afterMs < HEADERS_MS + SLACK_MS, `${Math.round(afterMs)} ms`);
  isTimeoutProblem(t, parseResponse(received));
});

t.test('slow headers that end within the limit are served', async (t) => {
  const c = await openRaw(port);
  await c.trickle(requestHead('GET', '/health', { 'x-pad': 'a'.repeat(40) }), 20, 100);
  t.equal((await c.responses(1))[0].status, 200);
  c.socket.destroy();
});

t.test('a JSON body trickled past the limit gets a 408 problem, then the connection closes', async (t) => {
  const c = await openRaw(port);
  await c.write(loginHead(loginBody.length));
  const headersAt = performance.now();
  // One byte every 300 ms: the body would take about 20 s.
  void c.trickle(loginBody, 1, 300);
  const { received } = await c.closed;
  const afterMs = performance.now() - headersAt;
  t.ok(afterMs >= BODY_MS - EARLY_MS, `not before the limit (${Math.round(afterMs)} ms)`);
  t.ok(afterMs < BODY_MS + SLACK_MS, `soon after it (${Math.round(afterMs)} ms)`);
  isTimeoutProblem(t, parseResponse(received));
  t.equal((await ta.app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the service is fine');
});

t.test('a chunked JSON body trickled past the limit gets a 408 problem', async (t) => {
  const c = await openRaw(port);
  await c.write(requestHead('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
  const chunks = [...loginBody].map((ch) => `1\r\n${ch}\r\n`).join('');
  void c.trickle(chunks, 6, 300);
  const { afterMs, received } = await c.closed;
  t.ok(afterMs >= BODY_MS - EARLY_MS && afterMs < BODY_MS + SLACK_MS, `${Math.round(afterMs)} ms`);
  isTimeoutProblem(t, parseResponse(received));
});

t.test('a slow JSON body that ends within the limit is answered as usual', async (t) => {
  const c = await openRaw(port);
  await c.write(loginHead(loginBody.length));
  // About 1.2 s in all, under the 2 s limit.
  await c.trickle(loginBody, Math.ceil(loginBody.length / 6), 200);
  const [res] = await c.responses(1);
  c.socket.destroy();
  t.equal(res.status, 200, "logged in");
  t.type(JSON.parse(res.body).token, 'string');
});

t.test('an answer sent before its body is complete closes the connection', async (t) => {
  for (const [name, head] of [
    ['401', requestHead('POST', '/api/v1/categories', { 'content-type': 'application/json', 'content-length': 500 })],
    ['415', requestHead('POST', '/api/v1/auth/login', { 'content-type': 'application/xml', 'content-length': 500 })],
    ['413', requestHead('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': 50_000_000 })],
    // Fastify never parses the body of a GET.
    ['200', requestHead('GET', '/health', { 'content-type': 'application/json', 'content-length': 500 })],
  ] as const) {
    const c = await openRaw(port);
    await c.write(head);
    // The rest of the body trickles on, faster than any limit would notice.
    void c.trickle('x'.repeat(500), 1, 100);
    const { afterMs } = await c.closed;
    const res = parseResponse(c.received());
    t.equal(res.status, Number(name), `${name} answered`);
    t.equal(res.headers.connection, 'close', `${name}: connection: close`);
    t.ok(afterMs < SLACK_MS, `${name}: closed after ${Math.round(afterMs)} ms`);
  }
});

t.test('a body nobody reads while the server is busy is cut at the body limit', async (t) => {
  const busy = await ta.secondInstance({ BODY_TIMEOUT_MS: String(BODY_MS) }, (app) =>
    app.addHook('onRequest', async (req) => {
      if (req.headers['x-busy']) await new Promise((r) => setTimeout(r, BODY_MS + 1500));
    }),
  );
  await busy.listen({ host: '127.0.0.1', port: 0 });
  const c = await openRaw((busy.server.address() as AddressInfo).port);
  await c.write(requestHead('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': 500, 'x-busy': 1 }));
  const headersAt = performance.now();
  void c.trickle('x'.repeat(500), 1, 100);
  await c.closed;
  const afterMs = performance.now() - headersAt;
  t.ok(afterMs >= BODY_MS - EARLY_MS && afterMs < BODY_MS + SLACK_MS, `closed after ${Math.round(afterMs)} ms`);
  t.equal(c.received(), '', 'no answer could be written: nothing had read the body');
});

t.test('an idle keep-alive connection is closed after the keep-alive limit', async (t) => {
  const c = await openRaw(port);
  await c.write(requestHead('GET', '/health'));
  const sentAt = performance.now();
  await c.closed;
  const afterMs = performance.now() - sentAt;
  const res = parseResponse(c.received());
  t.equal(res.status, 200);
  t.equal(res.headers['keep-alive'], `timeout=${KEEP_ALIVE_MS / 1000}`, 'the client is told');
  t.ok(afterMs >= KEEP_ALIVE_MS - EARLY_MS && afterMs < KEEP_ALIVE_MS + SLACK_MS, `${Math.round(afterMs)} ms`);
});

t.test('public-cache hits are served on a kept-alive connection, which then idles out', async (t) => {
  const c = await openRaw(port);
  // Fill the cache, then two pipelined reads on the same connection: both hits.
  await c.write(requestHead('GET', '/api/v1/categories'));
  await c.responses(1);
  await c.write(requestHead('GET', '/api/v1/categories') + requestHead('GET', '/api/v1/categories'));
  const answers = await c.responses(3);
  const { afterMs } = await c.closed;
  t.ok(afterMs >= KEEP_ALIVE_MS - EARLY_MS, 'kept alive, then closed when idle');
  t.same(answers.map((a) => a.status), [200, 200, 200]);
  t.same(answers.map((a) => a.headers['x-cache']), [undefined, 'hit', 'hit']);
  t.same(answers.map((a) => a.headers.connection), ['keep-alive', 'keep-alive', 'keep-alive']);
});

t.test('a GET with a body cannot hold a connection through a cache hit', async (t) => {
  await ta.app.inject({ method: 'GET', url: '/api/v1/categories' });
  t.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/categories' })).headers['x-cache'], 'hit', 'cached');
  const c = await openRaw(port);
  await c.write(requestHead('GET', '/api/v1/categories', { 'content-length': 500 }));
  void c.trickle('x'.repeat(500), 1, 100);
  const { afterMs } = await c.closed;
  const res = parseResponse(c.received());
  t.equal(res.status, 200);
  t.equal(res.headers['x-cache'], 'hit', 'still a hit, through Fastify');
  t.ok(afterMs < BODY_MS + SLACK_MS, `closed after ${Math.round(afterMs)} ms`);
});

t.test('requests on one connection are each timed from their own start', async (t) => {
  const c = await openRaw(port);
  // Three quick requests 600 ms apart: under the keep-alive limit each time, and together
  // longer than the header limit. Real time: Node's own server timers are what is tested.
  for (let i = 0; i < 3; i++) {
    await c.write(requestHead('GET', '/health'));
    await new Promise((r) => setTimeout(r, 600));
  }
  t.notOk(c.isClosed(), 'still open');
  t.equal(c.received().split('HTTP/1.1 200').length - 1, 3);
  c.socket.destroy();
});

t.test('bad HTTP and oversized headers are problems too', async (t) => {
  const bad = await openRaw(port);
  await bad.write('NOT HTTP AT ALL\r\n\r\n');
  const badRes = parseResponse((await bad.closed).received);
  t.equal(badRes.status, 400);
  t.equal(badRes.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(JSON.parse(badRes.body).code, 'bad_request');

  const big = await openRaw(port);
  await big.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  const bigRes = parseResponse((await big.closed).received);
  t.equal(bigRes.status, 431);
  t.equal(JSON.parse(bigRes.body).code, 'headers_too_large');
});

t.test('closing the app does not wait for idle keep-alive connections', async (t) => {
  const other = await ta.secondInstance({ KEEP_ALIVE_TIMEOUT_MS: '60000' });
  await other.listen({ host: '127.0.0.1', port: 0 });
  const c = await openRaw((other.server.address() as AddressInfo).port);
  await c.write(requestHead('GET', '/api/v1/categories') + requestHead('GET', '/api/v1/categories'));
  await c.responses(2);
  const start = performance.now();
  await other.close();
  t.ok(performance.now() - start < 5000, `closed in ${Math.round(performance.now() - start)} ms, not after the 60 s keep-alive`);
  await c.closed;
  t.ok(c.isClosed(), 'the idle connection was closed');
});
