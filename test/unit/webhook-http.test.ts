// The delivery HTTP client against real local servers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { postJson } from '../../src/modules/webhooks/webhook-http.js';

async function server(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1') {
  const s = createServer(handler);
  await new Promise<void>((resolve, reject) => s.listen(0, host, resolve).once('error', reject));
  t.teardown(() => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  }));
  return (s.address() as AddressInfo).port;
}

const open = { timeoutMs: 1000, allowPrivate: true };

t.test('posts the body and headers, reports the status', async (t) => {
  let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
  const port = await server((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { method: req.method, headers: req.headers, body };
      res.writeHead(204).end();
    });
  });
  const r = await postJson(`http://127.0.0.1:${port}/hook?x=1`, '{"a":"Tân Hồng"}', { 'content-type': 'application/json', 'x-toasoan-event': 'ping' }, open);
  t.match(r, { kind: 'response', statusCode: 204 });
  t.equal(seen.method, 'POST');
  t.equal(seen.body, '{"a":"Tân Hồng"}');
  t.equal(seen.headers?.['content-length'], String(Buffer.byteLength('{"a":"Tân Hồng"}')));
  t.equal(seen.headers?.['x-toasoan-event'], 'ping');
});

t.test('does not follow redirects', async (t) => {
  let hits = 0;
  const port = await server((_req, res) => {
    hits++;
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
  });
  t.match(await postJson(`http://127.0.0.1:${port}/`, '{}', {}, open), { kind: 'response', statusCode: 302 });
  t.equal(hits, 1);
});

t.test('reads only a few KB of an endless answer', async (t) => {
  const port = await server((_req, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (res.write(chunk)) { /* fill the buffer */ }
      res.once('drain', pump);
    };
    pump();
  });
  const r = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, { ...open, timeoutMs: 5000 });
  t.match(r, { kind: 'response', statusCode: 200 });
  t.ok(r.durationMs < 2000, 'answers at once');
});

t.test('a receiver that does not answer in time is a timeout', async (t) => {
  const port = await server(() => { /* never answers */ });
  const r = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, { ...open, timeoutMs: 150 });
  t.match(r, { kind: 'timeout', error: 'No answer within 150 ms.' });
  t.ok(r.durationMs >= 140 && r.durationMs < 1000);
});

t.test('connection errors are network failures', async (t) => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  t.match(await postJson(`http://127.0.0.1:${deadPort}/`, '{}', {}, open), { kind: 'network', error: /ECONNREFUSED/ });
});

t.test('private targets are refused unless allowed, before any connection', async (t) => {
  let hits = 0;
  const port = await server((_req, res) => {
    hits++;
    res.end();
  });
  const r = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, { timeoutMs: 1000, allowPrivate: false });
  t.match(r, { kind: 'refused', error: /^Refused target: 127\.0\.0\.1 is a loopback address/ });
  const named = await postJson(`http://localhost:${port}/`, '{}', {}, { timeoutMs: 1000, allowPrivate: false });
  t.match(named, { kind: 'refused', error: /localhost resolves to .*loopback/ });
  t.equal(hits, 0);
});

t.test('connects to the vetted address, not to a second DNS answer (rebinding)', async (t) => {
  let host: string | undefined;
  const port = await server((req, res) => {
    host = req.headers.host;
    res.writeHead(200).end();
  });
  let lookups = 0;
  // A resolver that would answer differently the second time: only its first answer is used.
  // The system DNS knows no receiver.example, so the request reaching us proves the pinned lookup.
  const resolve = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
  const r = await postJson(`http://receiver.example:${port}/`, '{}', {}, { timeoutMs: 1000, allowPrivate: true, resolve });
  t.match(r, { kind: 'response', statusCode: 200 });
  t.equal(lookups, 1, 'resolved once');
  t.equal(host, `receiver.example:${port}`, 'the Host header keeps the name');
});

t.test('an IPv6 literal URL, when private targets are allowed', async (t) => {
  let host: string | undefined;
  const port = await server((req, res) => {
    host = req.headers.host;
    res.writeHead(200).end();
  }, '::1').catch(() => undefined);
  if (port === undefined) {
    t.comment('no IPv6 loopback here');
    return;
  }
  t.match(await postJson(`http://[::1]:${port}/`, '{}', {}, open), { kind: 'response', statusCode: 200 });
  t.equal(host, `[::1]:${port}`);
  t.match(await postJson(`http://[::1]:${port}/`, '{}', {}, { timeoutMs: 1000, allowPrivate: false }), { kind: 'refused', error: /::1 is a loopback address/ });
});
