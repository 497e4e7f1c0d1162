import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';
import { acquireDirLock } from './dir-lock.js';
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
  /** The raw PGlite instance or postgres.js client, for the migrator. */
  raw: PGlite | postgres.Sql;
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
}

// PGlite must be given the same extensions on every open of a data folder.
export const pgliteExtensions = { unaccent, pg_trgm };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts.dataDir);
}

function openPostgres(url: string, max: number): Database {
  const options = {
    onnotice: () => {},
    idle_timeout: 30,
    connect_timeout: 10,
    // No parallel workers for this service's queries: they are short and many run at once, so
    // workers only add processes competing for the same cores. A generic plan that guessed many
    // matches for a search ran in parallel at 3× the CPU of the plain plan (1,000,000 articles).
    connection: { max_parallel_workers_per_gather: '0' }, // a string: postgres.js drops falsy values
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

async function openPglite(dataDir: string): Promise<Database> {
  let release = async () => {};
  let pg: PGlite;
  if (dataDir === 'memory://') {
    pg = await PGlite.create({ extensions: pgliteExtensions });
  } else {
    const dir = resolve(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    // PGlite has no lock of its own: a second process on the same folder would corrupt it.
    release = acquireDirLock(resolve(dataDir, 'pgdata.lock'));
    pg = await PGlite.create(dir, { extensions: pgliteExtensions });
  }
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    raw: pg,
    ping: async () => {
      await pg.query('select 1');
    },
    textRows: async (q) => {
      const { rows } = await pg.query<unknown[]>(q.sql, q.params, { rowMode: 'array' });
      return rows.map((row) => row.map((v) => (v === null ? null : Buffer.from(String(v)))));
    },
    close: async () => {
      if (!pg.closed) await pg.close();
      await release();
    },
    listen: async (channel, onMessage, onConnect) => {
      const unsubscribe = await pg.listen(channel, onMessage);
      onConnect?.();
      return async () => {
        if (!pg.closed) await unsubscribe();
      };
    },
  };
}
