// The messages between the embedded database's worker thread (pglite-worker.ts) and the client
// on the request thread (pglite-connection.ts). Types and two helpers only: both sides import it.
import type { MessagePort } from 'node:worker_threads';

export interface WorkerData {
  /** A folder, or 'memory://'. */
  dataDir: string;
  /** Where replies go; a port of its own, so the client can drain it synchronously before a restart. */
  port: MessagePort;
  /** [id of the request running now, its deadline in ms since the epoch]; 0 when none. */
  running: SharedArrayBuffer;
}

export type Request = { id: number; limitMs: number } & (
  | { op: 'query'; sql: string; params: unknown[]; rowMode: 'array' | 'object'; rawOids: number[] }
  | { op: 'exec'; sql: string }
  /** A query whose columns are text, each returned as its UTF-8 bytes. */
  | { op: 'text'; sql: string; params: unknown[] }
  | { op: 'listen' | 'unlisten'; channel: string }
  | { op: 'close' }
);

/** What Request['op'] = 'text' gives back. */
export type TextRows = Array<Array<Uint8Array | null>>;

export interface ErrorFields {
  message: string;
  /** The primitive fields of a PostgreSQL error (code, detail, constraint, table, …). */
  fields: Record<string, string | number | boolean>;
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorFields };

export type Notice = { notify: string; payload: string };

/** An error as fields that survive structured cloning (a class instance would lose its own properties). */
export function errorToFields(err: unknown): ErrorFields {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields: ErrorFields['fields'] = {};
  for (const [key, value] of Object.entries(e)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { message: e.message, fields };
}

export function errorFromFields({ message, fields }: ErrorFields): Error {
  return Object.assign(new Error(message), fields);
}
