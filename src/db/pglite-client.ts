// The embedded database as the request thread sees it: PGlite's query/exec/transaction, which is
// all Drizzle's pglite driver and migrator call, answered by a worker thread (pglite-connection.ts),
// plus the raw text rows, LISTEN, and a per-statement time limit.
import type { Results } from '@electric-sql/pglite';
import { type Listener, PGliteConnection, type RequestBody } from './pglite-connection.js';
import type { TextRows } from './pglite-protocol.js';

type Parser = (value: string, typeId: number) => unknown;

export interface QueryOptions {
  rowMode?: 'array' | 'object';
  /** By type oid; Drizzle passes some to keep dates as the text PostgreSQL sent. */
  parsers?: Record<number, Parser>;
}

export interface PGliteSession {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
}

export interface PGliteTransaction extends PGliteSession {
  readonly closed: boolean;
}

function applyParsers(result: Results<unknown>, parsers: Record<number, Parser>, rowMode: 'array' | 'object'): void {
  result.fields.forEach(({ name, dataTypeID }, i) => {
    const parse = parsers[dataTypeID];
    if (!parse) return;
    for (const row of result.rows as Array<Record<string | number, unknown>>) {
      const key = rowMode === 'array' ? i : name;
      if (row[key] !== null) row[key] = parse(row[key] as string, dataTypeID);
    }
  });
}

async function query<T>(send: (req: RequestBody) => Promise<unknown>, sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results<T>> {
  const parsers = options.parsers ?? {};
  const rowMode = options.rowMode ?? 'object';
  const rawOids = Object.keys(parsers).map(Number);
  const result = (await send({ op: 'query', sql, params, rowMode, rawOids })) as Results<T>;
  if (rawOids.length > 0) applyParsers(result as Results<unknown>, parsers, rowMode);
  return result;
}

export class PGliteWorkerClient implements PGliteSession {
  private constructor(
    private readonly conn: PGliteConnection,
    /** Each statement's time limit in ms; 0: none. */
    readonly limitMs: number,
  ) {}

  /** Opens `dataDir` (or 'memory://') in a worker thread. */
  static async open(dataDir: string, statementTimeoutMs: number): Promise<PGliteWorkerClient> {
    // How often the watchdog looks: a tenth of the limit, between 5 and 100 ms.
    const checkEveryMs = Math.min(100, Math.max(5, Math.floor(statementTimeoutMs / 10) || 100));
    return new PGliteWorkerClient(await PGliteConnection.open(dataDir, checkEveryMs), statementTimeoutMs);
  }

  /** The same database with another time limit per statement (0: none). */
  withTimeLimit(limitMs: number): PGliteWorkerClient {
    return new PGliteWorkerClient(this.conn, limitMs);
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return query((req) => this.conn.run(req, this.limitMs), sql, params, options);
  }

  async exec(sql: string): Promise<Results[]> {
    return (await this.conn.run({ op: 'exec', sql }, this.limitMs)) as Results[];
  }

  /** A query whose columns are all text, each as its UTF-8 bytes. */
  async textRows(sql: string, params: unknown[]): Promise<Array<Array<Buffer | null>>> {
    const rows = (await this.conn.run({ op: 'text', sql, params }, this.limitMs)) as TextRows;
    return rows.map((row) => row.map((v) => (v === null ? null : Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
  }

  transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    return this.conn.transaction(this.limitMs, (send) => {
      let closed = false;
      const tx: PGliteTransaction = {
        query: (sql, params, options) => query(send, sql, params, options),
        exec: async (sql) => (await send({ op: 'exec', sql })) as Results[],
        get closed() {
          return closed;
        },
      };
      return callback(tx).finally(() => (closed = true));
    });
  }

  /** LISTEN; `onConnect` runs once listening, and again after a restart of the worker. */
  listen(channel: string, onMessage: Listener['onMessage'], onConnect?: Listener['onConnect']): Promise<() => Promise<void>> {
    return this.conn.listen(channel, { onMessage, onConnect });
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
