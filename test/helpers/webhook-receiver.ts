// A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers what
// the test tells it to. Signatures are checked here with node:crypto directly, not with the
// service's own code, so a bug there cannot hide itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown>; purge: { keys: string[] } };
  path: string;
  at: number;
}

/** Decides the status code of each request (default 200). */
export type Responder = (r: Received, nth: number) => number | Promise<number>;

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  respond: Responder;
  /** Waits until `predicate` holds over what was received (default: at least n requests). */
  waitFor(n: number | ((all: Received[]) => boolean), ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    respond,
    waitFor: async (n, ms = 8000) => {
      const ok = typeof n === 'number' ? (all: Received[]) => all.length >= n : n;
      const end = Date.now() + ms;
      while (!ok(received) && Date.now() < end) await sleep(20);
      if (!ok(received)) throw new Error(`receiver: condition not met within ${ms} ms (${received.length} received)`);
      return received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, raw, body: JSON.parse(raw), path: req.url ?? '', at: Date.now() };
      received.push(r);
      const status = await receiver.respond(r, received.length);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  return receiver;
}

/** The receiver side of X-Toasoan-Signature, as the README tells integrators to do it. */
export function signatureIsValid(secret: string, r: Received, toleranceSeconds = 300): boolean {
  const header = String(r.headers['x-toasoan-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${r.raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}
