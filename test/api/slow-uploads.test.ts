// Slow uploads over a raw socket (API.md §1), with the limits shrunk to seconds: an upload may
// take longer than any body limit while it keeps sending, and one that goes silent is cut with a
// 408 and leaves neither a file nor a row. slow-upload-real.test.ts runs one at the real limits.
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { filesIn } from '../helpers/media-dir.js';
import { jpegWithGps, multipart, pdf } from '../helpers/media.js';
import { openRaw, parseResponse, requestHead } from '../helpers/raw-http.js';

const IDLE_MS = 2000;
const BODY_MS = 1000;
const SLACK_MS = 4000;
const EARLY_MS = 50;

t.setTimeout(120_000);
const ta = await createTestApp({ UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS), BODY_TIMEOUT_MS: String(BODY_MS), KEEP_ALIVE_TIMEOUT_MS: '1000' });
t.teardown(() => ta.close());
await ta.app.listen({ host: '127.0.0.1', port: 0 });
const { port } = ta.app.server.address() as AddressInfo;
const dir = ta.config.mediaDir;

const mediaCount = async () => Number((await ta.req('editor', { method: 'GET', url: '/api/v1/media' })).headers['x-total-count']);

async function waitFor(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) if (check()) return true;
  return false;
}

/** A multipart upload of `data` as one file, as raw bytes: the request head and the body. */
function uploadRequest(data: Buffer, filename = 'slow.pdf', contentType = 'application/pdf', onPort = port) {
  const { payload, headers } = multipart([{ name: 'file', filename, contentType, data }]);
  const head = requestHead('POST', '/api/v1/media', { authorization: `Bearer ${ta.users.author.token}`, ...headers, 'content-length': payload.length });
  return { head, body: payload, onPort };
}

t.test('an upload that stops sending is cut with a 408, leaving no file and no row', async (t) => {
  const { head, body } = uploadRequest(pdf(1024 * 1024));
  const c = await openRaw(port);
  await c.write(head);
  await c.write(body.subarray(0, 300 * 1024));
  // The idle time counts from the last byte sent, not from when the test saw the file.
  const stoppedAt = performance.now();
  t.ok(await waitFor(() => filesIn(dir).some((f) => f.startsWith('.tmp/'))), 'the file is streaming to a temporary file');
  const { received } = await c.closed;
  const afterMs = performance.now() - stoppedAt;
  t.ok(afterMs >= IDLE_MS - EARLY_MS, `not before the idle limit (${Math.round(afterMs)} ms)`);
  t.ok(afterMs < IDLE_MS + SLACK_MS, `soon after it (${Math.round(afterMs)} ms)`);
  const res = parseResponse(received);
  t.equal(res.status, 408);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.headers.connection, 'close');
  t.equal(JSON.parse(res.body).code, 'request_timeout');
  t.ok(await waitFor(() => filesIn(dir).length === 0), 'the partial file is removed');
  t.equal(await mediaCount(), 0, 'no row');
});

t.test('an upload that goes silent before its file part is cut too', async (t) => {
  const { head, body } = uploadRequest(pdf(1000));
  const c = await openRaw(port);
  await c.write(head);
  // Only the first boundary line: the parts never start.
  await c.write(body.subarray(0, 20));
  const { afterMs, received } = await c.closed;
  t.ok(afterMs >= IDLE_MS - EARLY_MS && afterMs < IDLE_MS + SLACK_MS, `${Math.round(afterMs)} ms`);
  t.equal(parseResponse(received).status, 408);
  t.same(filesIn(dir), []);
  t.equal(await mediaCount(), 0);
});

t.test('an upload slower than the body limit succeeds while it keeps sending', async (t) => {
  // 640 KiB at 160 KiB/s: about 4 s, four times the body limit, never silent for long.
  const data = pdf(640 * 1024);
  const { head, body } = uploadRequest(data);
  const c = await openRaw(port);
  await c.write(head);
  const start = performance.now();
  await c.trickle(body, 32 * 1024, 200);
  const [res] = await c.responses(1);
  t.ok(performance.now() - start > BODY_MS * 3, `took ${Math.round(performance.now() - start)} ms`);
  t.equal(res.status, 201);
  t.equal(JSON.parse(res.body).size, data.length);
  t.equal(await mediaCount(), 1);
  t.same(filesIn(dir).filter((f) => f.startsWith('.tmp/')), [], 'no temporary file left');
  c.socket.destroy();
});

t.test('a pause shorter than the idle limit is only a pause', async (t) => {
  const { head, body } = uploadRequest(pdf(200 * 1024));
  const c = await openRaw(port);
  await c.write(head);
  await c.write(body.subarray(0, 100 * 1024));
  // Real time: the socket's idle timer is what is tested here, not the service's clock.
  await sleep(IDLE_MS / 2);
  await c.write(body.subarray(100 * 1024));
  const [res] = await c.responses(1);
  t.equal(res.status, 201);
  c.socket.destroy();
});

t.test('processing a complete upload is not cut by the idle limit', async (t) => {
  // Rendering this image takes longer than the idle limit, with nothing on the wire meanwhile.
  const other = await ta.secondInstance({ UPLOAD_IDLE_TIMEOUT_MS: '400' });
  await other.listen({ host: '127.0.0.1', port: 0 });
  const { head, body } = uploadRequest(await jpegWithGps(4000, 3000), 'big.jpg', 'image/jpeg');
  const c = await openRaw((other.server.address() as AddressInfo).port);
  const start = performance.now();
  await c.write(Buffer.concat([Buffer.from(head), body]));
  const [res] = await c.responses(1);
  t.equal(res.status, 201, `answered after ${Math.round(performance.now() - start)} ms`);
  c.socket.destroy();
});

t.test('the upload route still refuses a client that never authenticates, without waiting', async (t) => {
  const { body } = uploadRequest(pdf(1000));
  const c = await openRaw(port);
  await c.write(requestHead('POST', '/api/v1/media', { 'content-type': 'multipart/form-data; boundary=x', 'content-length': body.length }));
  // The body trickles on after the 401; silence past the idle limit then ends the connection.
  void c.trickle(body.subarray(0, 10), 1, 100);
  const { afterMs, received } = await c.closed;
  t.equal(parseResponse(received).status, 401);
  t.ok(afterMs < 1000 + IDLE_MS + SLACK_MS, `closed after ${Math.round(afterMs)} ms`);
});
