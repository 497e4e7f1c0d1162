// A client on a bare TCP socket, for the slow clients of API.md §1: it writes exactly what it is
// told, when it is told, and records what the server answers and when the server closes.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** performance.now() when the connection opened. */
  openedAt: number;
  /** Everything received so far. */
  received(): string;
  isClosed(): boolean;
  /** Resolves when the connection is closed (by either side), with the time since it opened. */
  closed: Promise<{ afterMs: number; received: string }>;
  /** Writes unless the connection is gone; resolves when the bytes are handed to the kernel. */
  write(data: string | Buffer): Promise<void>;
  /** Resolves with the first `n` complete responses (rejects if the connection closes first). */
  responses(n: number): Promise<RawResponse[]>;
  /** Writes `data` in pieces of `size` bytes, one every `everyMs`, until all is sent or the connection closes. Resolves to the bytes sent. */
  trickle(data: string | Buffer, size: number, everyMs: number): Promise<number>;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const openedAt = performance.now();
  let received = '';
  let closed = false;
  socket.on('data', (d) => (received += d.toString('latin1')));
  // A reset after the server's answer is one way of closing; the answer is already recorded.
  socket.on('error', () => {});
  const closedP = new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve({ afterMs: performance.now() - openedAt, received });
    }),
  );
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve) => {
      if (closed || socket.destroyed || !socket.writable) return resolve();
      socket.write(data, () => resolve());
    });
  return {
    socket,
    openedAt,
    received: () => received,
    isClosed: () => closed,
    closed: closedP,
    write,
    async responses(n) {
      for (;;) {
        const done = completeResponses(received);
        if (done.length >= n) return done.slice(0, n);
        if (closed) throw new Error(`closed after ${done.length} of ${n} responses: ${JSON.stringify(received.slice(0, 200))}`);
        await sleep(10);
      }
    },
    async trickle(data, size, everyMs) {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
      let sent = 0;
      let next = performance.now();
      while (sent < buf.length && !closed) {
        await write(buf.subarray(sent, sent + size));
        sent = Math.min(buf.length, sent + size);
        // Paced against the clock, not the previous write, so that the average rate holds.
        next += everyMs;
        const wait = next - performance.now();
        if (sent < buf.length && wait > 0) await sleep(wait);
      }
      return sent;
    },
  };
}

/** The first response in what a raw connection received. */
export function parseResponse(text: string): RawResponse {
  const m = /^HTTP\/1\.1 (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 80))}`);
  const end = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text.slice(m[0].length, end).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? text.length);
  return { status: Number(m[1]), headers, body: text.slice(end + 4, end + 4 + length) };
}

/** The complete responses (with Content-Length bodies) at the start of `text`. */
function completeResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  while (rest.includes('\r\n\r\n')) {
    const res = parseResponse(rest);
    const end = rest.indexOf('\r\n\r\n') + 4 + Number(res.headers['content-length'] ?? 0);
    if (rest.length < end) break;
    out.push(res);
    rest = rest.slice(end);
  }
  return out;
}

/** A request head with the given headers (a Host header added unless given). */
export function requestHead(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const all: Record<string, string | number> = { host: 'localhost', ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
