import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../config.js';
import * as schema from './schema/index.js';
import { acquireDirLock } from './dir-lock.js';
import { PGliteWorkerClient } from './pglite-client.js';
import { preparingStatements } from './prepared-statements.js';

export type Schema = typeof schema;
/** The Drizzle handle every query function takes; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's client (PGlite's query/exec/transaction, in a worker thread) or the postgres.js client, for the migrator. */
  raw: PGliteWorkerClient | postgres.Sql;
  /**
   * LISTEN on a channel. `onConnect` runs whenever the listening connection is (re)established,
   * when notices may have been missed. Returns the unsubscribe.
   */
  listen(channel: string, onMessage: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Runs a query whose columns are all text and returns them as UTF-8 bytes: undecoded from the
   * wire on PostgreSQL (postgres.js raw rows), encoded from PGlite's strings. For JSON that the
   * database writes and the service sends as it is. `pipelined` sends it on the connection kept
   * for short public reads (see openPostgres): only for a single statement of bounded cost.
   */
  textRows(query: { sql: string; params: unknown[] }, opts?: { pipelined?: boolean }): Promise<Array<Array<Buffer | null>>>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data folder; 'memory://' keeps everything in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Time limit of each statement in ms (API.md §1), past which it fails with 57014; 0: none. Default: the config's. */
  statementTimeoutMs?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const limitMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10, limitMs) : openPglite(opts.dataDir, limitMs);
}

function openPostgres(url: string, max: number, limitMs: number): Database {
  const options = {
    onnotice: () => {},
    idle_timeout: 30,
    connect_timeout: 10,
    connection: {
      // No parallel workers for this service's queries: they are short and many run at once, so
      // workers only add processes competing for the same cores. A generic plan that guessed many
      // matches for a search ran in parallel at 3× the CPU of the plain plan (1,000,000 articles).
      max_parallel_workers_per_gather: '0', // a string: postgres.js drops falsy values
      // Every statement of every connection, the pipelined one included, has a time limit.
      ...(limitMs > 0 ? { statement_timeout: limitMs } : {}),
    },
  };
  const client = postgres(url, { ...options, max });
  // The hottest reads (an article, a page of a list) go on one connection of their own, where
  // postgres.js pipelines them: the statements of concurrent requests leave in one write and
  // their answers come back in one read, to one server process. Per request that is about a
  // third less CPU in Node and half in PostgreSQL than one connection each (an article by slug
  // went from ~5,000 to ~7,700 requests/s on 2 cores). Only bounded single statements go there,
  // so that none waits long behind another; transactions, searches and deep pages use the pool.
  //
  // Its statements keep one plan each (force_generic_plan): they are few and fixed, and their
  // generic plans are the ones test/db/explain.test.ts checks. Left to choose, PostgreSQL plans
  // a batch of articles (unnest of an array) afresh on every run, because the generic plan
  // guesses ten keys where a custom plan sees the one or two it gets.
  const pipeline = postgres(url, { ...options, max: 1, connection: { ...options.connection, plan_cache_mode: 'force_generic_plan' } });
  const db = drizzlePostgres(preparingStatements(client), { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    raw: client,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), pipeline.end({ timeout: 5 })]);
    },
    textRows: async (q, opts) => {
      const rows = await (opts?.pipelined ? pipeline : client).unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[], { prepare: true }).raw();
      return rows as unknown as Array<Array<Buffer | null>>;
    },
    listen: async (channel, onMessage, onConnect) => {
      const sub = await client.listen(channel, onMessage, onConnect);
      return async () => {
        try {
          await sub.unlisten();
        } catch {
          // The client was closed first: the listener is gone with it.
        }
      };
    },
  };
}

async function openPglite(dataDir: string, limitMs: number): Promise<Database> {
  let release = async () => {};
  let dir = dataDir;
  if (dataDir !== 'memory://') {
    dir = resolve(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    // PGlite has no lock of its own: a second process on the same folder would corrupt it.
    release = acquireDirLock(resolve(dataDir, 'pgdata.lock'));
  }
  let pg: PGliteWorkerClient;
  try {
    // PGlite runs PostgreSQL on the thread that calls it: in a worker, a long scan stalls no request.
    pg = await PGliteWorkerClient.open(dir, limitMs);
  } catch (err) {
    await release();
    throw err;
  }
  // Drizzle's pglite driver calls query() and transaction() only, which the worker client has.
  const db = drizzlePglite(pg as unknown as PGlite, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    raw: pg,
    ping: async () => {
      await pg.query('select 1');
    },
    textRows: (q) => pg.textRows(q.sql, q.params),
    close: async () => {
      if (!pg.closed) await pg.close();
      await release();
    },
    listen: (channel, onMessage, onConnect) => pg.listen(channel, onMessage, onConnect),
  };
}
