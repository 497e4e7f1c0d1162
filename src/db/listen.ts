// LISTEN on a channel with either driver. PGlite delivers notifications of its own (single)
// connection; postgres.js listens on a dedicated connection that it re-opens after a loss.
import type { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import type { Database } from './client.js';

/** Subscribes `onNotify` to `channel`; the returned function unsubscribes. */
export async function listen(database: Database, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  if (database.kind === 'pglite') {
    const unsubscribe = await (database.raw as PGlite).listen(channel, onNotify);
    return () => unsubscribe();
  }
  const meta = await (database.raw as postgres.Sql).listen(channel, onNotify);
  return () => meta.unlisten();
}
