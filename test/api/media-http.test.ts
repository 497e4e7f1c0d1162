// Uploads over a real socket: a client that disconnects mid-stream, and refusals that arrive
// before the body is over.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { filesIn } from '../helpers/media-dir.js';
import { pdf } from '../helpers/media.js';

const LIMIT = 8 * 1024 * 1024;
const ta = await createTestApp({ MEDIA_MAX_BYTES: String(LIMIT) });
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const { port } = ta.app.server.address() as AddressInfo;
const dir = ta.config.mediaDir;
const boundary = '----toasoanhttp';

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) if (await check()) return true;
  return false;
}

/** Starts a multipart upload whose file is `head` followed by `size` bytes of filler, written in 64 KiB chunks. */
function startUpload(head: Buffer, size: number) {
  const req = request({
    host: '127.0.0.1', port, method: 'POST', path: '/api/v1/media',
    headers: { authorization: `Bearer ${ta.users.author.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const response = new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
  response.catch(() => {});
  let sent = 0;
  const chunk = Buffer.alloc(65536, 0x20);
  /** Writes until `upTo` bytes of the file are out (or the request dies), honouring backpressure. */
  const writeUpTo = async (upTo: number) => {
    if (sent === 0) req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), req.write(head);
    while (sent < Math.min(upTo, size) && !req.destroyed) {
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      if (!req.write(chunk.subarray(0, n))) await new Promise((r) => (req.once('drain', r), req.once('close', r)));
    }
  };
  const finish = () => req.end(`\r\n--${boundary}--\r\n`);
  return { req, response, writeUpTo, finish };
}

const mediaCount = async () => Number((await ta.req('editor', { method: 'GET', url: '/api/v1/media' })).headers['x-total-count']);

t.test('a client that disconnects mid-upload leaves neither a row nor a file', async (t) => {
  const up = startUpload(pdf(100), 6 * 1024 * 1024);
  await up.writeUpTo(3 * 1024 * 1024);
  t.ok(await waitFor(() => filesIn(dir).some((f) => f.startsWith('.tmp/'))), 'the upload is streaming to a temporary file');
  up.req.destroy();
  t.ok(await waitFor(() => filesIn(dir).length === 0), 'the temporary file is removed');
  t.same(filesIn(dir), []);
  t.equal(await mediaCount(), 0, 'no row');
});

t.test('a refused type is answered before the body is over, and the connection closed', async (t) => {
  const up = startUpload(Buffer.from('<!doctype html><html><script>alert(1)</script>'), 6 * 1024 * 1024);
  void up.writeUpTo(6 * 1024 * 1024).then(up.finish, () => {});
  const res = await up.response;
  t.equal(res.status, 415);
  t.equal(res.headers.connection, 'close');
  t.equal(JSON.parse(res.body).code, 'unsupported_media_type');
  t.ok(await waitFor(() => filesIn(dir).length === 0));
  t.equal(await mediaCount(), 0);
});

t.test('an upload over the limit is a 413, and nothing is kept', async (t) => {
  const up = startUpload(pdf(100), LIMIT + 1024 * 1024);
  void up.writeUpTo(LIMIT + 1024 * 1024).then(up.finish, () => {});
  const res = await up.response;
  t.equal(res.status, 413);
  t.equal(JSON.parse(res.body).code, 'payload_too_large');
  t.ok(await waitFor(() => filesIn(dir).length === 0));
  t.equal(await mediaCount(), 0);
});

t.test('a complete upload over the socket works', async (t) => {
  const up = startUpload(pdf(100), 2 * 1024 * 1024);
  await up.writeUpTo(2 * 1024 * 1024);
  up.finish();
  const res = await up.response;
  t.equal(res.status, 201, res.body);
  t.equal(JSON.parse(res.body).mimeType, 'application/pdf');
  t.equal(await mediaCount(), 1);
  t.same(filesIn(dir).filter((f) => f.startsWith('.tmp/')), []);
});
