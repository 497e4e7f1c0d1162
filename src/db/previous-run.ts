// PGlite lets one process own a database: whatever a previous run left in flight (a webhook
// lease, a temporary upload) belongs to a process that is gone. That holds for the first app
// built on the database in this process; a second instance sharing it (tests) finds live work.
import type { Database } from './client.js';

const taken = new WeakSet<Database>();

/** True once per database, when this process is its only user: left-over work may be reclaimed. */
export function takeOverFromPreviousRun(database: Database): boolean {
  if (database.kind !== 'pglite' || taken.has(database)) return false;
  taken.add(database);
  return true;
}
