// Each test file gets a database of its own: an in-memory PGlite by default, or a fresh
// PostgreSQL database on the server named by DATABASE_URL (dropped at the end).
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

export interface TestDatabase {
  database: Database;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

// Tests keep the statement time limit on, but beyond tap's time for a whole file (120 s), so that
// it never decides a test: on a loaded machine a test's bulk insert on PGlite has taken over a
// minute, and there a statement past the limit stops the database's worker, which an in-memory
// database does not survive. Tests of the limit itself pass their own.
const TEST_STATEMENT_TIMEOUT_MS = 300_000;

export async function createTestDatabase(opts: { statementTimeoutMs?: number } = {}): Promise<TestDatabase> {
  const statementTimeoutMs = opts.statementTimeoutMs ?? TEST_STATEMENT_TIMEOUT_MS;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: 'memory://', statementTimeoutMs });
    await runMigrations(database);
    return { database, databaseUrl: undefined, drop: () => database.close() };
  }
  const name = `toasoan_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const database = await openDatabase({ databaseUrl, dataDir: 'unused', statementTimeoutMs });
  await runMigrations(database, databaseUrl);
  return {
    database,
    databaseUrl,
    drop: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
