import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database } from './client.js';
import type { PGliteWorkerClient } from './pglite-client.js';

// The migrator resolves its folder from the working directory; find ours from this file
// instead, so `node dist/...` works from anywhere (src/db and dist/src/db alike).
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'migrations', 'meta', '_journal.json'))) return join(dir, 'migrations');
    dir = dirname(dir);
  }
  throw new Error('migrations folder not found');
}

// Any constant: serialises migrations of several instances starting at once.
const MIGRATION_LOCK = 724_331_001;

export async function runMigrations(database: Database, databaseUrl?: string): Promise<void> {
  const folder = migrationsFolder();
  // Migrations have no statement time limit: they run before the service listens, and building
  // an index over a large table may take minutes.
  if (database.kind === 'pglite') {
    const unlimited = (database.raw as PGliteWorkerClient).withTimeLimit(0);
    // Drizzle's migrator calls query() and transaction() only, which the worker client has.
    await migratePglite(drizzlePglite(unlimited as unknown as PGlite), { migrationsFolder: folder });
    return;
  }
  if (!databaseUrl) throw new Error('runMigrations needs the DATABASE_URL for PostgreSQL');
  // One dedicated connection so the advisory lock and the migration share a session.
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: folder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
